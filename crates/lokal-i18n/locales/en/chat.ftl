# Consultation chat between a consumer and a store.

chat-heading = Chat
chat-ask = Ask { $store }
chat-back-to-store = Back to the store
chat-back-to-list = All chats of the store
chat-you = You
chat-empty = No messages yet. Ask about opening hours, parking, allergens or a booking: the store's staff answer here.
chat-read-only = Operators read chats; only the consumer and the store's staff write in them.
chat-message = Message
chat-placeholder = Write a message
chat-send = Send
chat-not-sent = Not sent
chat-works-here = You work for this store: answer its chats from the console.
chat-unread = unread
chats-heading = Chats
chats-mine = My chats
chats-mine-empty = No chats yet. Ask a store from its page: opening hours, parking, allergens, a booking.
chats-store = Chats · { $store }
chats-store-empty = No questions yet. Customers ask from the store's page; you answer here.
