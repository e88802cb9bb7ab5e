# Logging in, registering and the account page.

auth-log-in = 登录
auth-create-account = 注册账号
auth-email = 邮箱
auth-or-phone = 或手机号
auth-phone = 手机号
auth-name = 昵称
auth-email-or-phone = 邮箱或手机号
auth-password = 密码
auth-have-account = 已有账号？
auth-new-here = 第一次来？
account-title = 我的账号
account-since = 注册时间
account-roles = 身份
account-lang-saved = 保存到我的账号
account-lang-browser = 跟随浏览器
account-lang-save = 保存
account-join-merchant = 开店做生意？申请入驻 →

role-consumer = 消费者
role-platform-admin = 平台运营
role-owner = 店主
role-manager = 店长
role-clerk = 店员
role-rider = 骑手
role-promoter = 推广员
account-invitations = 员工邀请
account-invitations-empty = 暂无待处理的邀请。
account-invitation = { $merchant } 邀请你担任{ $role }。
account-invitation-accept = 接受
account-invitation-decline = 拒绝
account-staff-of = 我任职的商户
account-staff-leave = 离职
account-last-owner = （唯一的店主不能离开）
account-done-accepted = 已接受邀请，可以使用商户后台了。
account-done-declined = 已拒绝邀请。
account-done-left = 你已离开该商户。
