# API error messages and refusals shown on pages. The error codes themselves stay English.

field-lang-unknown = 必须是 zh-CN 或 en
field-too-long = 最多 { $max } 个字
