package plan

import "embed"

//go:embed testdata/*.txt
var samples embed.FS

// Samples returns the three published plans kept in testdata (Xinjiang 2023,
// Jinan Tianqiao 2023, Hebei 2023), for `anwei bench plan_parse` and the demo.
func Samples() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := samples.ReadDir("testdata")
	for _, e := range entries {
		b, err := samples.ReadFile("testdata/" + e.Name())
		if err == nil {
			out[e.Name()] = b
		}
	}
	return out
}
