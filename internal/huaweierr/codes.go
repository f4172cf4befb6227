package huaweierr

// Error codes Huawei documents, shared by the client (which branches on them)
// and the fake service (which answers with them).
const (
	// CodeAuthFailed is the API gateway's "incorrect IAM authentication
	// information" (HTTP 401): a bad token or AK/SK signature.
	CodeAuthFailed = "APIGW.0301"
	// CodeSignatureExpired is the API gateway's refusal of an X-Sdk-Date more
	// than 15 minutes from its clock (HTTP 401).
	CodeSignatureExpired = "APIGW.0303"
	// CodeThrottled is the API gateway's throttling error (HTTP 429).
	CodeThrottled = "APIG.0308"
	// CodeInvalidParameter is DRS's "invalid parameter" (HTTP 400).
	CodeInvalidParameter = "DRS.M00007"
	// CodeInvalidToken is DRS's "invalid token" (HTTP 403).
	CodeInvalidToken = "DRS.M00100"
)
