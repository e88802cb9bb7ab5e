# Shared by every page: the frame (header, footer, language switch) and words used everywhere.

site-name = Lokal 本地生活
site-tagline = 开源本地生活平台
lang-switch = 语言
money-amount = { $amount }
time-today = 今天
time-yesterday = 昨天
time-tomorrow = 明天

nav-admin = 运营后台
nav-riders = 骑手管理
nav-dispatch = 调度
nav-platform-dashboard = 平台数据
nav-platform-coupons = 平台券
nav-reviews-moderation = 评价审核
nav-console = 商家后台
nav-order-desk = 接单台
nav-rider = 骑手端
nav-my-orders = 订单
nav-my-vouchers = 券码
nav-my-coupons = 优惠券
nav-my-cards = 会员卡
nav-my-chats = 咨询
nav-messages = 消息
nav-unread = { $n } 条未读
nav-log-out = 退出
nav-log-in = 登录
nav-register = 注册
footer-text = Lokal · 开源本地生活平台
footer-api = 开放接口

reviews-count = { $n }条评价

page-back-home = 返回首页
page-error-heading = 抱歉
page-error-internal = 我们这边出了点问题，请稍后再试。
page-not-found-heading = 页面不存在
page-not-found-text = 这个地址什么都没有。
page-form-expired-heading = 表单已过期
page-form-expired-text = 这个表单打开太久了，或者来自其他网站。请返回、刷新页面后重试。
