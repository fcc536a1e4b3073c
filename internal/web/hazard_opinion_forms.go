package web

import (
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/hazard"
)

// askInput reads the 请专家判定 form: the experts ticked and the question.
func askInput(r *http.Request) (hazard.AskInput, error) {
	in := hazard.AskInput{Question: r.PostForm.Get("question")}
	for _, v := range r.PostForm["expert_ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return in, apperr.Field("expert_ids", "所选专家无效，请刷新页面后重选")
		}
		in.ExpertIDs = append(in.ExpertIDs, id)
	}
	return in, nil
}

// answerInput reads an expert's answer form.
func answerInput(r *http.Request) hazard.AnswerInput {
	return hazard.AnswerInput{Level: r.PostForm.Get("level"), Criterion: r.PostForm.Get("criterion"), Reasoning: r.PostForm.Get("reasoning")}
}
