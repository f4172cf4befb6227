// Package endpoint finds the URLs of the Huawei Cloud services drstemplate
// talks to: DRS, and IAM for password logins.
//
// A region id such as "cn-north-4" gives the built-in endpoints
// https://drs.cn-north-4.myhuaweicloud.com and
// https://iam.cn-north-4.myhuaweicloud.com (the region eu-west-101 lives
// under myhuaweicloud.eu instead). An unknown region is not refused — DRS v5
// answers in more regions than any list says — but a region id must look
// like one: lower-case letters and digits in hyphen-separated groups, so
// that nothing but a region can be spliced into a host name.
//
// The official SDK's environment overrides are honoured:
// HUAWEICLOUD_SDK_REGION_DRS_<REGION> (the region upper-cased, '-' as '_';
// a comma-separated list of which the first entry is used) for DRS and
// HUAWEICLOUD_SDK_IAM_ENDPOINT for IAM. An explicit endpoint for a service
// ([Config.DRSEndpoint], [Config.IAMEndpoint]) wins over its variable.
// Like the SDK, a value without a scheme is taken as https.
//
// Every endpoint, wherever it comes from, is checked by [Parse]: an absolute
// https URL without user info, query or fragment. Plain http is accepted only
// for loopback hosts (localhost, 127.0.0.0/8, ::1), such as the fake DRS
// service in tests, unless [Config.AllowHTTP] is set.
package endpoint
