# Photos: uploading and the refusals of a file.

media-too-large = 文件不能超过 { $mib } MB
media-empty = 请选择一张图片
media-not-an-image = 只支持 JPEG、PNG 或 WebP 图片
media-broken = 图片已损坏，无法读取
media-too-many-pixels = 图片太大，长边不能超过 { $px } 像素
media-not-found = 图片不存在
media-not-multipart = 请用 multipart/form-data 上传，图片放在 file 字段
media-body-too-large = 上传内容超过 10 MB
media-multipart-malformed = multipart 请求格式有误
