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
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/rules"
)

const rulesUsage = `用法:
  anwei rules credit-code CODE                       统一社会信用代码校验 (GB 32100-2015)
  anwei rules major-source --people N 名称|CAS[:类别]=吨 …   重大危险源辨识与分级 (GB 18218-2018)
     例: anwei rules major-source --people 200 液氯=20 液氨=30
         表3以外的表1物质写上危险性类别以定β: 汽油:W5.1=400
  anwei rules lec L E C                              作业条件危险性评价 D = L×E×C 及四色分级
  anwei rules ls L S                                 风险矩阵 R = L×S (1–5) 及四色分级
  anwei rules violations [KEY]                       安全生产法 (2021) 第九十七至一百零九条的违法行为原文及罚款幅度 (KEY 如 a99-4)
  anwei rules penalty --article N [--grade 一般|较大|重大|特别重大] [--aggravated] [--income 元] [--uncorrected]
                     [--fine 元 --ordered YYYY-MM-DD --until YYYY-MM-DD]
                                                     安全生产法 (2021) 罚款幅度 (元，两端均合法)：第九十四、九十五、九十七至一百零九、
                                                     一百一十二 (按日连续处罚，自责令改正次日计至 --until)、一百一十四条
  anwei rules workdays --from YYYY-MM-DD --add N      第 N 个工作日 (内置的节假日与调休表，不含部署中以 anwei calendar import 载入的通知；其后的年份标为 provisional)`

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
	case "violations":
		if len(args) > 2 {
			fmt.Fprintln(os.Stderr, rulesUsage)
			return errUsage
		}
		if len(args) == 2 {
			v, ok := rules.ViolationOf(args[1])
			if !ok {
				return fmt.Errorf("没有违法行为「%s」(如 a97-1、a102)", args[1])
			}
			return enc.Encode(v)
		}
		vs, err := rules.Violations()
		if err != nil {
			return err
		}
		return enc.Encode(vs)
	case "penalty":
		fs := flag.NewFlagSet("rules penalty", flag.ContinueOnError)
		var in rules.PenaltyInput
		fs.IntVar(&in.Article, "article", 0, "安全生产法条号 (如 114)")
		fs.StringVar(&in.Grade, "grade", "", "事故等级: 一般、较大、重大、特别重大 (第九十五、一百一十四条)")
		fs.BoolVar(&in.Aggravated, "aggravated", false, "情节特别严重、影响特别恶劣 (第一百一十四条第二款)")
		fs.Float64Var(&in.Income, "income", 0, "主要负责人上一年年收入，元 (第九十五条)")
		fs.BoolVar(&in.Uncorrected, "uncorrected", false, "逾期未改正 (第九十四、九十七至一百零九条)")
		fs.Float64Var(&in.Fine, "fine", 0, "原处罚数额，元 (第一百一十二条)")
		fs.StringVar(&in.Ordered, "ordered", "", "作出责令改正之日 YYYY-MM-DD (第一百一十二条)")
		fs.StringVar(&in.Until, "until", "", "计至的最后一天 YYYY-MM-DD (第一百一十二条)")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		if in.Article == 0 || fs.NArg() > 0 {
			return errors.New("请给出 --article N (安全生产法条号，如 114)，其余参数以 --名称 给出")
		}
		p, err := rules.CalcPenalty(in)
		if err != nil {
			if e := apperr.As(err); e.Code == apperr.Invalid {
				return errors.New(e.Message) // the input's fault, said as such
			}
			return err
		}
		return enc.Encode(p)
	case "workdays":
		fs := flag.NewFlagSet("rules workdays", flag.ContinueOnError)
		from := fs.String("from", "", "起算日 YYYY-MM-DD (当日不计)")
		add := fs.Int("add", 0, "工作日数 N (1–3650)")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		d, err := time.Parse("2006-01-02", *from)
		if err != nil || *add < 1 || *add > 3650 || fs.NArg() > 0 {
			fmt.Fprintln(os.Stderr, "请给出 --from YYYY-MM-DD 和 --add N (1–3650)\n"+rulesUsage)
			return errUsage
		}
		return enc.Encode(calendar.WorkdaysAfter(d, *add))
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
	case "lec", "ls":
		want := map[string]int{"lec": 3, "ls": 2}[args[0]]
		if len(args) != want+1 {
			fmt.Fprintln(os.Stderr, rulesUsage)
			return errUsage
		}
		var v []float64
		for _, a := range args[1:] {
			f, err := strconv.ParseFloat(a, 64)
			if err != nil {
				return fmt.Errorf("“%s”不是数字", a)
			}
			v = append(v, f)
		}
		var g rules.RiskGrade
		var err error
		if args[0] == "lec" {
			g, err = rules.GradeLEC(v[0], v[1], v[2], nil)
		} else {
			if v[0] != float64(int(v[0])) || v[1] != float64(int(v[1])) {
				return fmt.Errorf("L、S 应为 1–5 的整数")
			}
			g, err = rules.GradeLS(int(v[0]), int(v[1]), nil)
		}
		if err != nil {
			return err
		}
		return enc.Encode(g)
	}
	fmt.Fprintf(os.Stderr, "未知的规则 %q\n%s\n", args[0], rulesUsage)
	return errUsage
}
