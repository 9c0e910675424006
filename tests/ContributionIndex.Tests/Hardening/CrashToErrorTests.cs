using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Rendering;

namespace ContributionIndex.Tests.Hardening;

/// <summary>Errors that used to crash or hang (issue #15): each must now be one clear error with its place.</summary>
public class CrashToErrorTests
{
    [Fact]
    public void Yaml_nested_deeper_than_the_limit_is_a_study_error_with_line_and_column_not_a_stack_overflow()
    {
        var yaml = "id: x\nyear: 2023\nextra: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Contains("nested more than", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Location.Line);
        Assert.Equal(7 + StudyLoader.MaxNestingDepth, ex.Location.Column); // the root mapping is level 1, "extra: " is 7 characters
    }

    [Fact]
    public void Yaml_nested_block_mappings_deeper_than_the_limit_are_refused()
    {
        var sb = new StringBuilder("id: x\n");
        for (var i = 0; i < 200; i++) sb.Append(new string(' ', i)).Append('k').Append(i).Append(":\n");
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(sb.ToString(), "study.yaml"));
        Assert.Contains("nested more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_in_yaml_indentation_is_reported_at_its_line_and_column()
    {
        var yaml = "id: x\nyear: 2023\ninputs:\n  - name: a\n\t path: b.csv\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Equal((5L, 1), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("tab", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_tab_as_indentation_of_a_nested_mapping_is_reported_at_its_line_and_column_not_1_1()
    {
        var yaml = "id: x\nyear:\t2023\nfoo:\n\tbar: 1\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Equal((4L, 1), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("tab", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    public void Pdf_creation_date_is_gregorian_whatever_the_current_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        byte[] bytes;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            bytes = PdfRenderer.Render(SampleAnnex.Build("en"), "0.1.0");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        var text = Encoding.Latin1.GetString(bytes);
        var index = text.IndexOf("/CreationDate(D:", StringComparison.Ordinal);
        Assert.True(index >= 0, "no /CreationDate in the PDF");
        var year = text.Substring(index + "/CreationDate(D:".Length, 4);
        Assert.Equal(SampleAnnex.Release.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture), year);
    }
}
