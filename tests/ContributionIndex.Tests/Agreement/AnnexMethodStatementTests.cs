using System.Globalization;
using System.Text.RegularExpressions;
using ClosedXML.Excel;

namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// The annex says how its survey figures were estimated: the notes and column headings of T1–T5 and the metadata
/// sheet name the variance method of the study file's <c>estimation:</c> section (Taylor linearisation, or the
/// replicate method) and its confidence level, not fixed text.
/// </summary>
[Collection(AgreementCollection.Name)]
public sealed partial class AnnexMethodStatementTests(AgreementRuns runs)
{
    /// <summary>A stated confidence level: "95% confidence intervals", "95% CI", "90 % intervals".</summary>
    [GeneratedRegex(@"(\d+(?:[.,]\d+)?)\s?%\s*(?:confidence|CI\b|intervals?\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LevelStatement();

    [GeneratedRegex(@"^T\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex TableId();

    /// <summary>Words that name each variance method in the English annex.</summary>
    private static string[] DesignWords(string design) => design switch
    {
        "taylor" => ["Taylor"],
        "jkn" => ["JKn", "jackknife"],
        "jk1" => ["JK1", "jackknife"],
        "bootstrap" => ["bootstrap"],
        "brr" => ["BRR", "balanced repeated"],
        "fay" => ["Fay"],
        _ => ["replicate"],
    };

    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_notes_and_metadata_name_the_study_design_and_confidence_level(string study)
    {
        var outputs = runs.Get(study);
        var facts = outputs.Facts;
        var words = DesignWords(facts.Design);
        var percent = 100 * facts.ConfidenceLevel;
        var problems = new List<string>();
        var notes = new List<(string Table, string Text)>();
        var headings = new List<(string Table, string Text)>();
        string? variance = null;
        string? level = null;
        // The methodology sheet names its settings in words (methodology/reporting.md, "Methodology page"): the English labels.
        var en = ContributionIndex.Reporting.ReportLanguage.Load("en");
        string varianceLabel = en.Text("meta.variance"), levelLabel = en.Text("meta.confidence_level");
        using (var workbook = new XLWorkbook(outputs.Workbook))
        {
            foreach (var sheet in workbook.Worksheets)
            {
                if (TableId().IsMatch(sheet.Name))
                {
                    // Title, units, source, remarks and the header row are above the first data row (row 7 at most).
                    foreach (var cell in sheet.Range(1, 1, 6, Math.Max(1, sheet.LastColumnUsed()?.ColumnNumber() ?? 1)).CellsUsed())
                        headings.Add((sheet.Name, cell.GetString()));
                    continue;
                }

                foreach (var row in sheet.RowsUsed())
                {
                    var first = row.Cell(1).GetString();
                    if (TableId().IsMatch(first)) notes.Add((first, row.Cell(3).GetString()));
                    var key = row.Cell(2).GetString();
                    if (key == varianceLabel) variance = row.Cell(3).GetString();
                    else if (key == levelLabel) level = row.Cell(3).GetString();
                }
            }
        }

        var expect = $"the study ({Path.GetFileName(outputs.StudyPath)}) estimates with design '{facts.Design}' at confidence level {facts.ConfidenceLevel.ToString("R", CultureInfo.InvariantCulture)}";

        // Every stated confidence level of the survey tables (T1–T5) is the study's.
        var stated = 0;
        foreach (var (table, text) in notes.Select(n => (n.Table, n.Text)).Concat(headings).Where(s => s.Item1 is "T1" or "T2" or "T3" or "T4" or "T5"))
        {
            foreach (Match match in LevelStatement().Matches(text))
            {
                stated++;
                var value = double.Parse(match.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (Math.Abs(value - percent) > 1e-9) problems.Add($"{table} states '{match.Value}' in \"{text}\"");
            }
        }

        if (stated == 0) problems.Add("no note or heading of T1–T5 states the confidence level");

        // The note on T1's standard errors names the study's variance method.
        // (The disclosure note, added when a cell is withheld, mentions withheld standard errors but is not a method note.)
        var seNotes = notes.Where(n => n.Table == "T1" && n.Text.Contains("standard error", StringComparison.OrdinalIgnoreCase) && !n.Text.StartsWith("Cells marked [c]", StringComparison.Ordinal)).ToList();
        if (seNotes.Count == 0) problems.Add("T1 has no note on its standard errors");
        foreach (var (table, text) in seNotes)
            if (!NamesDesign(text, facts.Design, words)) problems.Add($"{table} note \"{text}\" does not name {string.Join(" or ", words)}");

        // The metadata sheet gives the level (in per cent) and the variance method.
        if (level is null) problems.Add("the metadata has no confidence level");
        else if (!double.TryParse(level.TrimEnd('%', ' '), NumberStyles.Float, CultureInfo.InvariantCulture, out var l) || Math.Abs(l - percent) > 1e-9)
            problems.Add($"metadata confidence_level is '{level}'");
        if (variance is null) problems.Add("the metadata has no variance entry");
        else if (!NamesDesign(variance, facts.Design, words)) problems.Add($"metadata variance \"{variance}\" does not name {string.Join(" or ", words)}");

        Assert.True(problems.Count == 0, $"{study}: {expect}, but:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>Names the method, and does not call replicate variances Taylor linearisation.</summary>
    private static bool NamesDesign(string text, string design, string[] words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) &&
        (design == "taylor" || !text.Contains("Taylor", StringComparison.OrdinalIgnoreCase));
}
