# Consultation chat between a consumer and a store.

chat-heading = 咨询
chat-ask = 咨询{ $store }
chat-back-to-store = 返回门店
chat-back-to-list = 门店全部咨询
chat-you = 我
chat-empty = 还没有消息。可以问问营业时间、停车、过敏原或预订，门店工作人员会在这里回复。
chat-read-only = 运营人员只能查看咨询；只有顾客和门店工作人员可以发消息。
chat-message = 消息
chat-placeholder = 输入消息
chat-send = 发送
chat-not-sent = 发送失败
chat-works-here = 你是这家店的工作人员，请在商家后台回复咨询。
chat-unread = 未读
chats-heading = 咨询
chats-mine = 我的咨询
chats-mine-empty = 还没有咨询。可以在门店页向商家提问：营业时间、停车、过敏原、预订都可以问。
chats-store = 顾客咨询 · { $store }
chats-store-empty = 还没有顾客咨询。顾客在门店页提问，你在这里回复。
