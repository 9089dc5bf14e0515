/**
 * A long conversation kept under a token threshold by summaries from the cheapest tier: start at
 * {@link dev.switchboard.examples.conversation.ConversationExample} (the router and the script),
 * then {@code Conversation} (counting, compacting, sending).
 */
package dev.switchboard.examples.conversation;
