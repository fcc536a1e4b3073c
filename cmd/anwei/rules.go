package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"anwei/internal/rules"
)

const rulesUsage = `用法:
  anwei rules credit-code CODE                       统一社会信用代码校验 (GB 32100-2015)
  anwei rules major-source --people N 名称|CAS[:类别]=吨 …   重大危险源辨识与分级 (GB 18218-2018)
     例: anwei rules major-source --people 200 液氯=20 液氨=30
         表3以外的表1物质写上危险性类别以定β: 汽油:W5.1=400`

// runRules is the regulation calculator: the same code the UI uses, one
// JSON object with the result and its basis; exit 1 on bad input.
func runRules(_ context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, rulesUsage)
		return errUsage
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	switch args[0] {
	case "credit-code":
		if len(args) != 2 {
			fmt.Fprintln(os.Stderr, rulesUsage)
			return errUsage
		}
		r := rules.CheckCreditCode(args[1])
		if err := enc.Encode(r); err != nil {
			return err
		}
		if !r.Valid {
			return errors.New(r.Error)
		}
		return nil
	case "major-source":
		fs := flag.NewFlagSet("rules major-source", flag.ContinueOnError)
		people := fs.Int("people", -1, "厂区边界外 500 m 内常住人口 (厂外可能暴露人员数量)")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		if *people < 0 || fs.NArg() == 0 {
			fmt.Fprintln(os.Stderr, "请给出 --people N 和至少一项 名称=吨\n"+rulesUsage)
			return errUsage
		}
		var hs []rules.Holding
		for _, a := range fs.Args() {
			what, tonnes, ok := strings.Cut(a, "=")
			t, err := strconv.ParseFloat(strings.TrimSpace(tonnes), 64)
			if !ok || err != nil {
				return fmt.Errorf("“%s”应写成 名称=吨 (如 液氯=20)", a)
			}
			name, cat, _ := strings.Cut(what, ":")
			hs = append(hs, rules.Holding{Chemical: name, Category: cat, Tonnes: t})
		}
		r, err := rules.ComputeMajorSource(hs, *people)
		if err != nil {
			return err
		}
		return enc.Encode(r)
	}
	fmt.Fprintf(os.Stderr, "未知的规则 %q\n%s\n", args[0], rulesUsage)
	return errUsage
}
