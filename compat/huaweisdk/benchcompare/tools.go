package main

// tool is one of the ways compared.
type tool struct {
	name  string // its name in -tools
	label string // its name in the table
	// pkg is the package of its program in this module; "" for the
	// drstemplate command, built from the repository's root.
	pkg string
	// args are its arguments: get the templates of the tasks listed in
	// tasksFile into out.
	args func(tasksFile, out string) []string
}

// cliTool is the name of the drstemplate command among the tools.
const cliTool = "cli"

// allTools returns the tools compared, in the table's order.
func allTools() []tool {
	own := func(tasksFile, out string) []string { return []string{"-tasks-file", tasksFile, "-out", out} }
	return []tool{
		{name: "naive", label: "naive SDK program", pkg: "./benchcompare/naive", args: own},
		{name: "library", label: "`ExportAndDownload`", pkg: "./benchcompare/library", args: own},
		{name: cliTool, label: "`drstemplate export`", args: func(tasksFile, out string) []string {
			return []string{"export", "-q", "--tasks-file", tasksFile, "--out", out}
		}},
	}
}

// toolNames returns the names of the tools.
func toolNames() []string {
	var names []string
	for _, t := range allTools() {
		names = append(names, t.name)
	}
	return names
}

// toolNamed returns the tool called name.
func toolNamed(name string) (tool, bool) {
	for _, t := range allTools() {
		if t.name == name {
			return t, true
		}
	}
	return tool{}, false
}
