# Discovery: the home page, the nearby list, search, store cards and the store page.

discover-distance-m = { $m } m
discover-distance-km = { $km } km
discover-per-person = { $price }/人
discover-rating-count = ★ { $rating } · { $n }条评价
discover-no-reviews = 暂无评价
discover-open = 营业中
discover-closed = 休息中
discover-bad-query = 搜索条件有误

home-title = 吃喝玩乐，就在身边
home-welcome-back = 欢迎回来，{ $name }
home-hero-guest = 附近有什么好吃好玩的？
home-hero-text = 找附近好店，买团购、点外卖、订座位——线上下单，到店享受。
home-categories = 分类
home-subcategories = 热门分类
home-recommended = 猜你喜欢
home-all-nearby = 查看附近全部 →
home-join-heading = 加入 Lokal
home-join-text = 一个账号，逛遍全城好店。
home-join-button = 注册账号

nearby-title = 附近
nearby-heading = 附近商家
nearby-category = 分类
nearby-category-all = 全部
nearby-sort = 排序
nearby-open-now = 只看营业中
nearby-show = 筛选

# The orders of the nearby list.
nearby-sort-distance = 离我最近
nearby-sort-rating = 评分最高
nearby-sort-sales = 销量最高
nearby-sort-recommended = 智能排序

search-title = 搜索
search-results = “{ $q }”的搜索结果
search-hint = 输入店名、菜品或标签搜索。
search-placeholder = 搜商家、菜品，如 火锅、咖啡
search-label = 搜索
search-button = 搜索

cards-empty = 这附近还没有商家。

store-not-found-heading = 找不到商家
store-not-found-text = 这个地址没有商家。
store-open-now = 营业中
store-closed-now = 休息中
store-order-online = 在线点单
store-pay-bill = 到店买单
store-join = 办会员卡
store-ask = 咨询商家
store-coupons = 优惠券
store-deals = 团购
store-menu = 菜单
store-sold-out = 已售罄
store-reviews = 评价
store-no-reviews = 暂无评价。只有在这里下过单、到店买过单或用过团购券的顾客才能评价。
store-review-stars = { $n }星
store-review-dimension = { $dimension } { $stars }
store-review-photos = { $n }张图片
store-review-follow-up = 追评：{ $text }
store-review-reply = 商家回复：
store-reply-placeholder = 公开回复这条评价
store-reply = 回复
store-review-helpful = 有用（{ $n }）
store-review-report = 举报
store-review-helpful-count = { $n }人觉得有用
store-hours = 营业时间
store-hours-closed = 休息
store-around = 周边
store-map-label = { $name }周边商家地图
store-map-here = { $name }（本店）
store-no-location = 商家还没有设置位置。

# What a store offers.
store-service-dine-in = 堂食
store-service-pickup = 自提
store-service-delivery = 外卖

# The orders of a store's reviews.
store-review-sort-newest = 最新
store-review-sort-helpful = 最有用
store-review-sort-photos = 有图

# What a review rates besides the overall stars.
store-dimension-taste = 口味
store-dimension-environment = 环境
store-dimension-service = 服务
store-dimension-value = 性价比
store-review-photo-alt = { $author }拍的照片
store-photo-alt = { $store }的照片
