package auth

import "github.com/drs-tools/drstemplate/endpoint"

// Environment variables read by [Chain]. The HUAWEICLOUD_SDK_ ones are the
// official SDK's; the DRSTEMPLATE_ ones are this project's, for the two ways
// to authenticate the SDK does not know.
const (
	// EnvAccessKey is the access key id (AK).
	EnvAccessKey = "HUAWEICLOUD_SDK_AK"
	// EnvSecretKey is the secret access key (SK).
	EnvSecretKey = "HUAWEICLOUD_SDK_SK"
	// EnvSecurityToken is the security token of temporary AK/SK.
	EnvSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	// EnvProjectID is the project id.
	EnvProjectID = "HUAWEICLOUD_SDK_PROJECT_ID"
	// EnvIAMEndpoint overrides the IAM endpoint for password logins
	// ([Chain.IAMEndpoint] wins over it). Package endpoint reads it.
	EnvIAMEndpoint = endpoint.EnvIAMEndpoint
	// EnvCredentialsFile is the path of the SDK profile file (default
	// ~/.huaweicloud/credentials).
	EnvCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	// EnvToken is an IAM token to send as is.
	EnvToken = "DRSTEMPLATE_TOKEN"
	// EnvIAMAccount is the account (IAM domain) name for a password login.
	EnvIAMAccount = "DRSTEMPLATE_IAM_ACCOUNT"
	// EnvIAMUser is the IAM user name for a password login.
	EnvIAMUser = "DRSTEMPLATE_IAM_USER"
	// EnvIAMPassword is the IAM user's password for a password login.
	EnvIAMPassword = "DRSTEMPLATE_IAM_PASSWORD"
)
