package endpoint_test

import (
	"fmt"

	"github.com/drs-tools/drstemplate/endpoint"
)

func ExampleConfig_DRS() {
	noEnv := func(string) (string, bool) { return "", false }
	for _, region := range []string{"cn-north-4", "eu-west-101"} {
		u, err := endpoint.Config{Region: region, LookupEnv: noEnv}.DRS()
		fmt.Println(u, err)
	}
	// An explicit endpoint wins; plain http is fine on loopback only.
	fmt.Println(endpoint.Config{DRSEndpoint: "http://127.0.0.1:8080/"}.DRS())
	_, err := endpoint.Config{DRSEndpoint: "http://drs.example.com"}.DRS()
	fmt.Println(err)
	// Output:
	// https://drs.cn-north-4.myhuaweicloud.com <nil>
	// https://drs.eu-west-101.myhuaweicloud.eu <nil>
	// http://127.0.0.1:8080 <nil>
	// endpoint: invalid endpoint "http://drs.example.com": plain http is only allowed for loopback hosts; use https
}

func ExampleConfig_IAM() {
	env := map[string]string{"HUAWEICLOUD_SDK_IAM_ENDPOINT": "iam.internal.example.com"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	fmt.Println(endpoint.Config{Region: "cn-north-4", LookupEnv: lookup}.IAM())
	fmt.Println(endpoint.Config{LookupEnv: func(string) (string, bool) { return "", false }}.IAM())
	// Output:
	// https://iam.internal.example.com <nil>
	// https://iam.myhuaweicloud.com <nil>
}
