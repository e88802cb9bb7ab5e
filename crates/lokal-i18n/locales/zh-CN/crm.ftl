# The merchant console's customer list: segments, tags, filters and the CSV.

crm-title = 顾客
crm-store = 门店
crm-segment = 分层
crm-segment-all = 全部
crm-tag = 标签
crm-name = 姓名
crm-filter = 筛选
crm-count = 共 { $n } 位顾客
crm-count-page = 本页 { $n } 位顾客
crm-csv = 导出CSV
crm-col-name = 姓名
crm-col-visits = 到店次数
crm-col-spend = 消费金额
crm-col-average-ticket = 客单价
crm-col-last-visit = 最近消费
crm-col-segment = 分层
crm-col-tags = 标签
crm-add-tag = 添加标签
crm-add-tag-button = 添加
crm-next = 下一页
crm-note = 依据你的门店已支付且未取消的订单。分层：忠实客户（消费5次以上，最近一次在30天内）、常客（2–4次）、新客（1次，在30天内）、流失风险（2次以上，最近一次在31–90天前）、仅消费一次（1次，在31–90天前）、已流失（90天内没有消费）。
crm-refused = 顾客
crm-not-tagged = 未添加标签

csv-customer-user-id = 用户编号
csv-customer-name = 姓名
csv-customer-visits = 到店次数
csv-customer-spend-cny = 消费金额（元）
csv-customer-average-ticket-cny = 客单价（元）
csv-customer-first-visit = 首次消费
csv-customer-last-visit = 最近消费
csv-customer-recency-days = 距今天数
csv-customer-segment = 分层
csv-customer-tags = 标签
