package dev.switchboard;

/** One tier of the model chain: the model id, its rate-limit pool and its context window. */
record ModelTier(String model, String modelPool, int contextWindow) {}
