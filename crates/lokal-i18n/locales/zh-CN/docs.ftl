# The API reference page (/api/docs): its frame and labels. The operations' descriptions come
# from the OpenAPI document, in English.

docs-title = 开放接口文档
docs-machine-readable = 机器可读版本（OpenAPI { $version }）：
docs-english-note = 各接口的说明取自 OpenAPI 文档，为英文。
docs-secured = 需登录
docs-secured-title = 需要 Bearer 令牌或登录会话
docs-parameters = 参数：
docs-body = 请求体：
docs-responses = 响应：
docs-schemas = 数据结构

## Where a parameter goes (label group `docs-in`)
docs-in-path = 路径
docs-in-query = 查询
docs-in-header = 请求头
docs-in-cookie = Cookie
