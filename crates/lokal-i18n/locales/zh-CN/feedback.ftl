# Reviews: the form on a completed order's page, replies, helpful votes and reports from the
# store page, and the operators' moderation queue.

review-form-heading = 这一单怎么样？
review-form-overall = 总体评分
review-form-not-rated = 不评分
review-form-text = 评价内容
review-form-text-placeholder = 说说口味、环境和服务，帮助其他顾客选择
review-form-tags = 标签（用逗号分隔）
review-form-tags-placeholder = 辣，适合聚餐
review-form-avg-spend = 人均消费（元）
review-form-rider = 给骑手打分
review-form-submit = 发表评价
review-stars = { $n }星

# What a review may rate besides the overall stars (label group review-dimension).
review-dimension-taste = 口味
review-dimension-environment = 环境
review-dimension-service = 服务
review-dimension-value = 性价比

# A review's moderation state (label group review-status).
review-status-visible = 展示中
review-status-hidden = 已隐藏

review-not-posted = 评价未发表
review-bad-spend = 人均消费请按元填写，例如 85。
review-not-replied = 回复失败
review-not-counted = 点赞失败
review-reported = 已举报
review-reported-text = 感谢反馈，运营人员会尽快处理。
review-not-reported = 举报失败
review-report-default-reason = 从门店页举报

admin-reviews-title = 被举报的评价
admin-reviews-empty = 暂无举报。
admin-reviews-reports = 被举报 { $n } 次 · 最近原因：{ $reason }
admin-reviews-hide-reason = 隐藏原因（作者可见）
admin-reviews-hide = 隐藏
admin-reviews-not-hidden = 未能隐藏
review-form-photos = 图片（最多 3 张）
review-too-many-photos = 一条评价最多 { $max } 张图片。
