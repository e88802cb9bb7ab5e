# Recomputes every vector in lokal-sms's tests from the providers' documented algorithms.
import base64, hashlib, hmac, json
from urllib.parse import quote

def pe(s):  # Alibaba's percentEncode: RFC 3986 unreserved kept, UTF-8, upper-case hex
    return quote(s, safe='-_.~')

def aliyun(method, params, secret):
    canon = '&'.join(pe(k) + '=' + pe(v) for k, v in sorted(params.items()))
    sts = method + '&' + pe('/') + '&' + pe(canon)
    sig = base64.b64encode(hmac.new((secret + '&').encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return canon, sts, sig

print('== Alibaba Cloud ECS example (DescribeRegions, testsecret)')
ecs = {'Timestamp': '2016-02-23T12:46:24Z', 'Format': 'XML', 'AccessKeyId': 'testid', 'Action': 'DescribeRegions',
       'SignatureMethod': 'HMAC-SHA1', 'SignatureNonce': '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
       'Version': '2014-05-26', 'SignatureVersion': '1.0'}
for line in aliyun('GET', ecs, 'testsecret'): print(line)
old = dict(ecs); old['TimeStamp'] = old.pop('Timestamp')
print('older edition, "TimeStamp":', aliyun('GET', old, 'testsecret')[2])

print('== Alibaba Cloud SMS example (SendSms, testSecret)')
sms = {'SignatureMethod': 'HMAC-SHA1', 'SignatureNonce': '45e25e9b-0a6f-4070-8c85-2956eda1b466', 'AccessKeyId': 'testId',
       'SignatureVersion': '1.0', 'Timestamp': '2017-07-12T02:42:19Z', 'Format': 'XML', 'Action': 'SendSms',
       'Version': '2017-05-25', 'RegionId': 'cn-hangzhou', 'PhoneNumbers': '15300000001', 'SignName': '阿里云短信测试专用',
       'TemplateParam': '{"customer":"test"}', 'TemplateCode': 'SMS_71390007', 'OutId': '123'}
for line in aliyun('GET', sms, 'testSecret'): print(line)

print('== Lokal SendSms (POST, JSON), made up for these tests')
lokal = {'AccessKeyId': 'LTAI5tLokalTestKeyId', 'Action': 'SendSms', 'Format': 'JSON', 'RegionId': 'cn-hangzhou',
         'SignatureMethod': 'HMAC-SHA1', 'SignatureNonce': '7b0c2f1e-4d2a-4c55-9a7e-1f3b5d7c9e01',
         'SignatureVersion': '1.0', 'Timestamp': '2026-12-07T08:30:00Z', 'Version': '2017-05-25',
         'PhoneNumbers': '13800138000,13900139000', 'SignName': '本地商城', 'TemplateCode': 'SMS_465930123',
         'TemplateParam': '{"code":"048213","shop":"Café ~ *Mei* & Co+"}', 'OutId': 'msg_01J2X7'}
for line in aliyun('POST', lokal, 'lokal-test-secret-not-real'): print(line)

def sha(b): return hashlib.sha256(b).hexdigest()
def h(k, m): return hmac.new(k, m.encode(), hashlib.sha256).digest()
def tc3(secret_key, date, service, timestamp, headers, payload):
    canon_headers = ''.join(k + ':' + v.strip().lower() + '\n' for k, v in sorted(headers.items()))
    signed = ';'.join(sorted(headers))
    cr = 'POST\n/\n\n' + canon_headers + '\n' + signed + '\n' + sha(payload)
    sts = 'TC3-HMAC-SHA256\n%d\n%s/%s/tc3_request\n%s' % (timestamp, date, service, sha(cr.encode()))
    k1 = h(('TC3' + secret_key).encode(), date); k2 = h(k1, service); k3 = h(k2, 'tc3_request')
    return cr, sts, k1.hex(), k2.hex(), k3.hex(), hmac.new(k3, sts.encode(), hashlib.sha256).hexdigest(), signed

print('== Tencent Cloud example, current edition (SecretKey shown as 32 asterisks)')
cvm = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
print(sha(cvm))
for x in tc3('*' * 32, '2019-02-25', 'cvm', 1551113065,
             {'content-type': 'application/json; charset=utf-8', 'host': 'cvm.tencentcloudapi.com',
              'x-tc-action': 'DescribeInstances'}, cvm): print(x)
print('== Tencent Cloud example, earlier edition (content-type;host, SecretKey Gu5t9xGARNpq86cd98joQYCN3*******)')
for x in tc3('Gu5t9xGARNpq86cd98joQYCN3*******', '2019-02-25', 'cvm', 1551113065,
             {'content-type': 'application/json; charset=utf-8', 'host': 'cvm.tencentcloudapi.com'}, cvm): print(x)

print('== Lokal SendSms on Tencent Cloud, made up for these tests')
body = '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"本地商城","TemplateId":"1234567","TemplateParamSet":["048213","5"],"SessionContext":"msg_01J2X7"}'.encode()
print(body.decode())
for x in tc3('lokal-test-secret-key-not-real', '2026-12-07', 'sms', 1796632200,
             {'content-type': 'application/json; charset=utf-8', 'host': 'sms.tencentcloudapi.com',
              'x-tc-action': 'SendSms'}, body): print(x)

print('== Lokal-Signature webhook')
wb = b'{"id":"evt_1","to":"+8613800138000","status":"delivered"}'
print('t=1796632200,v1=' + hmac.new(b'whsec_lokal_test', b'1796632200.' + wb, hashlib.sha256).hexdigest())
