# Maps and places: the drawn map, placing a pin, sharing where one is.

map-metres = { $n } 米
map-kilometres = { $km } 公里
map-pick-hint = 点击地图放置位置，可拖动图钉微调。
map-tiles-unreachable = 地图服务暂时无法访问，已显示简易地图。
place-use-mine = 使用我的位置
place-locating = 正在定位…
place-denied = 无法获取你的位置，已使用市中心。也可以在地图上选一个地点。
place-pick = 在地图上选地点
place-center = 市中心
place-current = 当前位置
place-save = 就在这里

address-not-found = 地址不存在
address-book-full = 最多保存 { $max } 个地址
place-invalid = 请在地图上选一个地点
nearby-map-label = 附近商家地图
search-cursor-invalid = 不是有效的翻页标记
search-sort-unknown = 必须是 relevance、distance 或 rating
search-sort-relevance = 最相关
search-sort-distance = 离我最近
search-sort-rating = 评分最高
search-more = 查看更多
search-suggestions = 搜索建议
