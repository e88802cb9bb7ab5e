# The rider's app (/rider): applying, shifts, position, tasks, offers and earnings. A task's
# times are its store's; the rider's own (shifts, position) the city's.

rider-title = Lokal 骑手
rider-application = 入驻申请
rider-pending-text = 运营人员会尽快审核你的申请，结果会显示在这个页面。
rider-rejected-reason = 未通过原因：{ $reason }
rider-apply-again = 你可以在下方重新申请。
rider-apply-heading = 申请成为骑手
rider-apply-name = 姓名（向商家和顾客显示）
rider-apply-phone = 手机号
rider-apply-vehicle = 交通工具
rider-apply-submit = 提交申请

## An application's state (label group `rider-application`)
rider-application-pending = 审核中
rider-application-approved = 已通过
rider-application-rejected = 未通过

## The vehicles a rider applies with (label group `rider-vehicle`)
rider-vehicle-bike = 自行车
rider-vehicle-e-bike = 电动车
rider-vehicle-scooter = 摩托车
rider-vehicle-car = 汽车
rider-vehicle-foot = 步行

## On or off shift (label group `rider-shift`)
rider-shift-on = 开工中
rider-shift-off = 休息中

rider-shift-since = { $time } 开工
rider-shift-end = 收工
rider-shift-start = 开工
rider-shift-off-hint = 开工后才能接到配送任务。
rider-position-heading = 上报位置
rider-position-never = 还没有上报过位置。
rider-position-last = 上次上报：{ $time }。
rider-position-never-short = 从未上报
rider-position-hint = 任务只派给开工中且位置较新的骑手。
rider-latitude = 纬度
rider-longitude = 经度
rider-position-send = 上报
# The page's script puts the time or the reason in place of %time% and %why%.
rider-live-start = 每15秒自动上报本机位置
rider-live-stop = 停止上报
rider-live-stopped = 已停止上报
rider-live-sent = %time% 已上报
rider-live-not-sent = 上报失败：%why%
rider-live-offline = 网络已断开，15秒后重试
rider-live-no-position = 无法获取位置：%why%

rider-tasks-heading = 我的任务（{ $n }）
rider-tasks-empty = 暂时没有任务。
rider-tasks-empty-off-shift = 暂时没有任务。开工后即可接单。

## A task as the rider sees it: what to do next (label group `rider-task`)
rider-task-waiting = 等待派单
rider-task-assigned = 前往商家取餐
rider-task-at-store = 已到店
rider-task-picked-up = 送往顾客
rider-task-delivered = 已送达
rider-task-cancelled = 已取消

rider-pick-up-at = 取餐：
rider-drop-off-at = 送达：
rider-contact = 收件人：
rider-pay = 收入
rider-ready-at = { $time } 出餐
rider-due-at = { $time } 前送达
rider-order = 订单 #{ $order }
rider-note = 备注：{ $note }
rider-metres = { $n } m
rider-km = { $km } km
rider-step-arrived = 我已到店
rider-step-picked-up = 已取餐
rider-code-placeholder = 收货码
rider-code-label = 顾客的4位收货码
rider-step-delivered = 确认送达
rider-problem = 异常类型
rider-problem-details = 补充说明（选填）
rider-problem-report = 上报异常

## The problems a rider reports (label group `rider-exception`)
rider-exception-store-delay = 商家出餐慢
rider-exception-customer-unreachable = 联系不上顾客
rider-exception-rider-problem = 我无法继续配送

rider-offers-heading = 附近可抢订单（{ $n }）
rider-offers-off-shift = 开工后可查看可抢订单。
rider-offers-empty = 附近暂时没有可抢的订单。
rider-offer-from-you = 距你{ $distance }
rider-offer-ride = 配送距离{ $distance }
rider-offer-private = 抢单后显示详细地址和顾客信息
rider-grab = 抢单
rider-earnings = 收入
rider-balance = 待结算收入：
rider-recent-deliveries = 最近完成{ $n }单
rider-shift-started = 开工时间
rider-shift-ended = 收工时间
rider-shift-earned = 配送收入
rider-shift-topup = 保底补贴

rider-done-applied = 申请已提交，运营人员会尽快审核。
rider-done-shift-on = 已开工。请上报位置，以便接收任务。
rider-done-shift-off = 已收工。尚未取餐的任务已退回调度。
rider-done-location = 位置已上报。
rider-done-arrived = 已标记到店。
rider-done-picked-up = 已取餐。送达时请向顾客索要4位收货码。
rider-done-delivered = 已送达，本单收入已计入余额。
rider-done-exception = 异常已上报。
rider-done-grabbed = 抢单成功，这单归你了。
rider-not-allowed = 无权操作
rider-not-found = 页面不存在
rider-position-not-numbers = 纬度和经度须为数字，例如 31.2304 和 121.4737。
rider-exception-unknown = 请选择异常类型。
