// Package codes holds coded values: the key a record stores and the Chinese
// name people see (规模 small → 小型, 隐患来源 self → 企业自查). A mechanism
// declares its lists (enterprise.Scales, hazard.Sources); forms, filters,
// tabs and exports show their names through NameOf.
package codes

// Choice is a coded value with its Chinese name.
type Choice struct{ Key, Name string }

// NameOf is the Chinese name of key in cs, or key itself when cs has no
// such code (an old value still shows as what it is).
func NameOf(cs []Choice, key string) string {
	for _, c := range cs {
		if c.Key == key {
			return c.Name
		}
	}
	return key
}
