# Membership cards: joining, the consumer's cards and card page (stored value, points, history),
# paying with the card, and the console's members and loyalty pages.

join-title = 加入会员 · { $store }
join-heading = 加入{ $store }会员
join-intro = 一张会员卡，连锁所有门店通用；消费越多，等级越高（{ $ladder }）。
join-ladder = 累计消费满{ $silver }升白银会员，满{ $gold }升黄金会员，满{ $black }升黑金会员
join-opt-in = 接收新团购、优惠券和生日福利消息（可随时退订）
join-submit = 立即入会
join-log-in = 登录后入会
join-membership = 会员
join-not-joined = 入会失败
join-poster = 入会海报
join-poster-channel = 会员码

# How a member joined (label group join-channel).
join-channel-store-code = 扫码入会
join-channel-store-page = 门店页入会

cards-title = 我的会员卡
member-cards-empty = 还没有会员卡。可以在门店页加入，或扫描柜台的会员码。
cards-since = { $date }入会
cards-spent = 已消费 { $amount }
cards-next-level = 再消费 { $amount } 升级为{ $level }
cards-balances = 储值 { $stored } · 积分 { $points }
cards-messages-on = 已接收消息
cards-unsubscribe = 退订
cards-messages-off = 未接收消息
cards-subscribe = 接收优惠消息
card-no-such-card = 没有这张会员卡。
card-no-such-merchant = 没有这个商家。

members-title = 会员
members-empty = 还没有会员。在商家后台打印各门店的会员码，放在柜台即可。
members-name = 会员
members-level = 等级
members-spend = 累计消费
members-stored-value = 储值余额
members-points = 积分
members-offers = 接收消息
members-joined = 入会
members-offers-yes = 是
members-offers-no = 否
members-next = 下一页
members-note = 只有同意接收消息的会员才会收到你的消息，他们可随时退订。储值余额是你欠会员的钱，直到他们消费为止。
members-loyalty-link = 积分、充值优惠与会员消息

card-title = { $merchant }会员卡
card-heading = 会员卡
card-stored-value = 储值余额
card-any-store = 所有门店通用
card-points = 积分
card-points-worth = 价值 { $value }（100积分 = ¥1）
card-spent = 累计消费
card-earn = 已完成的订单和买单，每支付 1 元得 { $n } 积分。
card-birthday = 生日（月-日，如 03-14），用于生日福利；留空即删除
card-save = 保存
card-recharge = 充值
card-recharge-plain = 充 { $pay }
card-recharge-bonus = 充 { $pay } 送 { $bonus }
card-exchange = 积分兑换
card-exchange-points = 兑换积分（100 的整数倍，100积分抵 ¥1）
card-exchange-submit = 兑换优惠券
card-exchange-hint = 优惠券 30 天内在{ $merchant }所有门店可用。
card-history = 明细
card-history-empty = 暂无记录。
card-points-change = { $n } 积分
card-not-recharged = 充值失败
card-not-exchanged = 兑换失败
card-not-saved = 保存失败

# The entries of a card's history (label group card-entry).
card-entry-recharge = 充值
card-entry-card-payment = 会员卡支付
card-entry-refund = 退回会员卡
card-entry-points = 获得积分
card-entry-points-exchange = 积分兑换优惠券
card-entry-points-undo = 扣回积分（核销已撤销）
card-entry-other = 变动

card-short-title = 会员卡余额不足
card-short-pay-online = 改用在线支付
card-short-hint = 也可以先给会员卡充值，在订单失效前从订单页支付。

loyalty-title = 会员营销
loyalty-program-heading = 积分与储值
loyalty-points-per-yuan = 每支付 1 元得积分（0–100；100积分对会员价值 ¥1）
loyalty-tiers = 充值优惠，每行一条，按元写成“充值:赠送”，如 500:50；留空则不开通储值
loyalty-save = 保存
loyalty-program-note = 储值余额是你欠会员的钱，会员可在你的任意门店消费；赠送金额和积分价值会从你的余额中预留。
loyalty-message-heading = 给会员发消息
loyalty-opted-in = { $members } 位会员中有 { $opted } 位接收消息。每位会员每天最多收到你 1 条、30 天内最多 4 条消息。
loyalty-kind = 类型
loyalty-birthday-hint = 生日福利只发给 7 天内过生日的会员。
loyalty-to = 发送对象
loyalty-to-all = 全部会员
loyalty-to-level = { $level }及以上
loyalty-subject = 标题
loyalty-body = 内容
loyalty-send = 发送
loyalty-sent = 已发送
loyalty-sent-empty = 还没有发送过消息。
loyalty-deliveries = 送达明细
loyalty-delivery-line = { $member }：{ $status }
loyalty-delivered = 已送达 { $n } 人
loyalty-capped = { $n } 人因频次上限未发送
loyalty-not-saved = 保存失败
loyalty-not-sent = 发送失败
loyalty-points-per-yuan-range = 每元积分须为 0 到 100 的整数。
loyalty-tiers-format = 请每行写一条充值优惠，按元写成“充值:赠送”，如 500:50。
loyalty-level-unknown = 发送对象须为普通会员、白银会员、黄金会员或黑金会员。

# The kinds of messages to members (label group message-kind).
message-kind-new-deal = 新团购
message-kind-coupon-gift = 优惠券赠送
message-kind-birthday = 生日福利
message-kind-news = 店铺动态

# What became of a message for a member (label group member-delivery).
member-delivery-delivered = 已送达
member-delivery-capped = 超出频次上限，未发送
card-recharge-pending = 充值 { $pay } 确认中，到账后卡内增加 { $credit }。
