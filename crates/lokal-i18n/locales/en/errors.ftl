# API error messages and refusals shown on pages. The error codes themselves stay English.

field-lang-unknown = must be zh-CN or en
field-too-long = must be at most { $max } characters
