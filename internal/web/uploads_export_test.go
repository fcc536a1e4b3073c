package web

// The body limits of uploads.go, for TestEveryWriteRouteBoundsItsBody.
const (
	FilesBody         = filesBody
	SheetBody         = sheetBody
	SheetAPIBody      = maxSheetUpload + 1 // spool reads one byte more to tell a sheet over the limit
	PlanTextBody      = planTextBody
	ProgressSheetBody = progressSheetBody
	FormBody          = formBody
	JSONBody          = jsonBody
	PublicBody        = publicBody
	MaxFiles          = maxFiles
)
