# Labels of the words the core uses for states and kinds (never shown raw on a page).
# Pages call `nav.label("group", word)`: the key is `group-word`, underscores become hyphens.
# A group whose words are not listed here belongs to the area that shows it.

category-food = 美食
category-beauty = 丽人
category-leisure = 休闲娱乐
category-hotel = 酒店
category-retail = 购物
category-services = 生活服务

mode-delivery = 外卖配送
mode-pickup = 到店自取
mode-dine-in = 堂食
mode-pay-at-store = 到店买单
mode-deal = 团购

order-status-pending = 待支付
order-status-paid = 已支付
order-status-accepted = 商家已接单
order-status-ready = 已出餐
order-status-delivering = 配送中
order-status-completed = 已完成
order-status-rejected = 商家已拒单
order-status-cancelled = 已取消
order-status-refunded = 已退款

task-status-waiting = 待分配
task-status-assigned = 已派单
task-status-at-store = 已到店
task-status-picked-up = 已取餐
task-status-delivered = 已送达
task-status-cancelled = 已取消

segment-loyal = 忠实客户
segment-regular = 常客
segment-new = 新客
segment-at-risk = 流失风险
segment-one-time = 仅消费一次
segment-lapsed = 已流失

level-member = 普通会员
level-silver = 白银会员
level-gold = 黄金会员
level-black = 黑金会员
subcategory-hotpot = 火锅
subcategory-bbq = 烧烤
subcategory-noodles = 面馆
subcategory-dumplings = 小笼包
subcategory-shanghainese = 本帮菜
subcategory-coffee = 咖啡
subcategory-milk-tea = 奶茶
subcategory-nails = 美甲
subcategory-haircut = 美发
subcategory-ktv = KTV
subcategory-massage = 按摩足疗
subcategory-board-games = 桌游剧本杀
subcategory-guesthouse = 民宿
subcategory-fruit = 水果生鲜
