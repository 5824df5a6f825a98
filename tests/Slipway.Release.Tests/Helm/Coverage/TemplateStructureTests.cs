using Slipway.Release.Helm.Coverage;

namespace Slipway.Release.Tests.Helm.Coverage;

public sealed class TemplateStructureTests
{
    private static TemplateStructure Parse(string text) => TemplateStructure.Parse("templates/t.yaml", text);

    private static string Body(TemplateStructure structure, TemplateBranch branch) => structure.Text[branch.BodyStart..branch.BodyEnd];

    [Fact]
    public void Trim_markers_are_recognised_on_both_sides_and_kept_out_of_the_action_text()
    {
        var actions = TemplateTokenizer.Tokenize("t", "a {{- .x -}} b {{ .y }} c {{-3}}");

        Assert.Equal([".x", ".y", "-3"], actions.Select(action => action.Text));
        Assert.True(actions[0].TrimLeft);
        Assert.True(actions[0].TrimRight);
        Assert.False(actions[1].TrimLeft);
        Assert.False(actions[1].TrimRight);
        Assert.False(actions[2].TrimLeft);
    }

    [Fact]
    public void Comments_with_and_without_trim_markers_are_comments_and_may_contain_braces()
    {
        var structure = Parse("{{/* if }} {{ end */}}\n{{- /* {{ else }} */ -}}\n{{ if .a }}x{{ end }}");

        Assert.Equal(2, structure.Actions.Count(action => action.IsComment));
        Assert.True(structure.Actions[1].TrimLeft);
        Assert.True(structure.Actions[1].TrimRight);
        var branch = Assert.Single(structure.Branches);
        Assert.Equal(3, branch.Line);
        Assert.Equal(".a", branch.Condition);
    }

    [Fact]
    public void Closing_braces_inside_strings_raw_strings_and_characters_do_not_end_the_action()
    {
        var structure = Parse("{{ if eq .a \"}}\" }}q{{ else if eq .b `x}}\ny` }}r{{ else if eq .c '}' }}s{{ end }}");

        Assert.Equal(["eq .a \"}}\"", "eq .b `x}}\ny`", "eq .c '}'"], structure.Branches.Select(branch => branch.Condition));
        Assert.Equal(["q", "r", "s"], structure.Branches.Select(branch => Body(structure, branch)));
    }

    [Fact]
    public void An_else_if_chain_is_one_branch_per_body_each_on_its_own_line()
    {
        var structure = Parse("""
            {{- if .Values.a }}
            a: 1
            {{- else if .Values.b }}
            b: 1
            {{- else if .Values.c }}
            c: 1
            {{- else }}
            d: 1
            {{- end }}
            """);

        Assert.Equal([BranchKind.If, BranchKind.ElseIf, BranchKind.ElseIf, BranchKind.Else], structure.Branches.Select(branch => branch.Kind));
        Assert.Equal([1, 3, 5, 7], structure.Branches.Select(branch => branch.Line));
        Assert.Equal(["then", "else", "else", "else"], structure.Branches.Select(branch => branch.Side));
        Assert.Equal("else of if .Values.a", structure.Branches[3].Describe());
        Assert.Equal("\nc: 1\n", Body(structure, structure.Branches[2]));
    }

    [Fact]
    public void A_range_nested_in_a_with_and_their_elses_are_all_branches()
    {
        var structure = Parse("""
            {{- with .Values.cidrs }}
            from:
              {{- range . }}
              - cidr: {{ . }}
              {{- else }}
              - none
              {{- end }}
            {{- else }}
            from: []
            {{- end }}
            """);

        Assert.Equal([BranchKind.With, BranchKind.Range, BranchKind.RangeElse, BranchKind.WithElse], structure.Branches.Select(branch => branch.Kind));
        Assert.Equal([1, 3, 5, 8], structure.Branches.Select(branch => branch.Line));
        Assert.Equal("range .", structure.Branches[1].Describe());
        Assert.Contains("{{- range . }}", Body(structure, structure.Branches[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_branches_inside_a_yaml_scalar_have_their_own_bodies()
    {
        var structure = Parse("value: {{ if .x }}a{{ else }}b{{ end }}\nother: {{ .y }}");

        Assert.Equal(["a", "b"], structure.Branches.Select(branch => Body(structure, branch)));
        Assert.All(structure.Branches, branch => Assert.Equal(1, branch.Line));
    }

    [Fact]
    public void Branches_inside_define_blocks_of_a_helpers_file_are_found_and_define_is_not_a_branch()
    {
        var structure = TemplateStructure.Parse("templates/_helpers.tpl", """
            {{/* Name. */}}
            {{- define "app.name" -}}
            {{- default .Chart.Name .Values.nameOverride | trunc 63 }}
            {{- end }}

            {{- define "app.sa" -}}
            {{- if .Values.serviceAccount.create }}
            {{- default (include "app.name" .) .Values.serviceAccount.name }}
            {{- else }}
            {{- .Values.serviceAccount.name }}
            {{- end }}
            {{- end }}
            {{- block "app.extra" . }}{{ with .Values.extra }}{{ . }}{{ end }}{{ end }}
            """);

        Assert.Equal([(7, BranchKind.If), (9, BranchKind.Else), (13, BranchKind.With)], structure.Branches.Select(branch => (branch.Line, branch.Kind)));
        Assert.All(structure.Branches, branch => Assert.Equal("templates/_helpers.tpl", branch.File));
    }

    [Fact]
    public void Else_with_chains_a_with()
    {
        var structure = Parse("{{ with .a }}A{{ else with .b }}B{{ else }}C{{ end }}");

        Assert.Equal([BranchKind.With, BranchKind.ElseWith, BranchKind.WithElse], structure.Branches.Select(branch => branch.Kind));
        Assert.Equal("else with .b", structure.Branches[1].Describe());
    }

    [Fact]
    public void Template_include_and_plain_actions_open_nothing()
    {
        var structure = Parse("{{ template \"x\" . }}{{ include \"y\" . | nindent 2 }}{{ $v := .a }}{{ if $v }}z{{ end }}");

        Assert.Single(structure.Branches);
    }

    [Theory]
    [InlineData("{{ if .a }}x", "never closed")]
    [InlineData("{{ end }}", "without an open")]
    [InlineData("{{ if .a }}x{{ else }}y{{ else }}z{{ end }}", "after the final else")]
    [InlineData("{{ range .a }}{{ else if .b }}{{ end }}", "unexpected")]
    [InlineData("a\n{{ if .a ", "unclosed action")]
    [InlineData("{{ \"}} }}", "unterminated quoted string")]
    [InlineData("{{/* open", "unclosed comment")]
    public void Malformed_templates_are_refused_with_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("templates/t.yaml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_count_newlines_inside_multi_line_actions_and_comments()
    {
        var structure = Parse("{{/*\ntwo\nlines */}}\n{{ if (and\n .a\n .b) }}x{{ end }}\n{{ with .c }}y{{ end }}");

        Assert.Equal([4, 7], structure.Branches.Select(branch => branch.Line));
    }
}
