using System.Globalization;
using ContributionIndex.Cli.Commands;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Reporting;
using ContributionIndex.Reporting.Disclosure;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Disclosure control of the annex: for every additive block of T1, T2 and T4 (a breakdown's categories and their total,
/// across countries and their pool) the published pattern of [c] cells is audited from the published table alone, and the
/// suppressed values never reach the CSV or SDMX outputs.
/// </summary>
public sealed class AnnexDisclosureTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    /// <summary>The regional sample with a minimum of 150 respondents per cell instead of 10: small cells, so suppression fires.</summary>
    private Annex SmallCellAnnex(out Annex sameEstimatesDefaultRules)
    {
        var settings = fixture.Estimates.Settings;
        var strict = settings with { Options = settings.Options with { Quality = QualityRules.StatisticsCanada with { MinimumUnweightedCount = 150 } } };
        var estimates = VolunteerEstimates.Run(fixture.Study, new StudyRecordSource(fixture.Study), null, strict);
        sameEstimatesDefaultRules = fixture.Annex;
        return AnnexBuilder.Build(StudyRun.FromEstimates(fixture.Study, estimates), ReportLanguage.ForAnnex("en"), new AnnexOptions());
    }

    [Fact]
    public void No_suppressed_cell_of_the_regional_annex_is_pinned_by_published_totals() => AuditAll(fixture.Annex);

    [Fact]
    public void Small_cells_are_suppressed_with_complements_and_none_is_pinned_or_printed()
    {
        var annex = SmallCellAnnex(out var reference);
        var audited = AuditAll(annex);
        Assert.True(audited > 0, "the small-cell annex must suppress cells in additive blocks");
        foreach (var id in new[] { "T1", "T2", "T4" })
        {
            var table = annex.Tables.Single(t => t.Id == id);
            if (table.Uses(CellFlag.Suppressed)) Assert.Contains(table.Notes, n => n.Text == annex.Language.Text("note.disclosure"));
        }

        // The estimates are the same under both rules: a cell withheld in the small-cell annex shows its value in the reference.
        var csv = string.Concat(annex.Tables.Select(TidyCsvRenderer.Render));
        var sdmx = SdmxCsvRenderer.Render(annex, "2023");
        var checkedValues = 0;
        foreach (var table in annex.Tables)
        {
            var other = reference.Tables.Single(t => t.Id == table.Id);
            Assert.Equal(other.Rows.Count, table.Rows.Count);
            for (var r = 0; r < table.Rows.Count; r++)
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = table.Rows[r].Cells[c];
                if (cell.Flag != CellFlag.Suppressed) continue;
                Assert.Null(cell.Value);
                if (other.Rows[r].Cells[c].Value is not { } v || Math.Abs(v) < 1000) continue; // small numbers occur by chance
                var text = v.ToString("R", CultureInfo.InvariantCulture);
                Assert.DoesNotContain(text, csv, StringComparison.Ordinal);
                Assert.DoesNotContain(text, sdmx, StringComparison.Ordinal);
                checkedValues++;
            }
        }

        Assert.True(checkedValues > 0, "some withheld values must be checked against the outputs");
    }

    /// <summary>Audits T1 (by sex, age, urbanisation, region), T2 (by form, ISCO, direction per source) and T4 (by goal); returns how many suppressed cells were audited.</summary>
    private static int AuditAll(Annex annex)
    {
        var l = annex.Language;
        var audited = 0;
        var t1 = annex.Tables.Single(t => t.Id == "T1");
        audited += Audit(t1, "volunteers", r => Text(t1, r, "breakdown") == l.Text("dim.form") ? null : Text(t1, r, "breakdown"), r => Text(t1, r, "category"));
        var t2 = annex.Tables.Single(t => t.Id == "T2");
        audited += Audit(t2, "hours", r => Text(t2, r, "source") + "|" + Text(t2, r, "breakdown"), r => Text(t2, r, "category"), r => Text(t2, r, "source"));
        var t4 = annex.Tables.Single(t => t.Id == "T4");
        audited += Audit(t4, "hours", _ => "goal", r => Text(t4, r, "goal"));
        return audited;
    }

    private static string Text(ReportTable table, ReportRow row, string columnId) =>
        row.Cells[table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == columnId).i].Text ?? "";

    /// <summary>
    /// Rebuilds each block from the published rows (categories × countries, with the total row and the pool column as
    /// margins) and asserts <see cref="DisclosureAudit.PinnedCells"/> finds nothing. The audit looks at the pattern only.
    /// </summary>
    private static int Audit(ReportTable table, string measureId, Func<ReportRow, string?> blockOf, Func<ReportRow, string> categoryOf, Func<ReportRow, string>? totalKey = null)
    {
        var measure = table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == measureId).i;
        var data = table.Rows.Where(r => r.Role == RowRole.Data).ToList();
        var totals = table.Rows.Where(r => r.Role == RowRole.Total).ToList();
        var audited = 0;
        foreach (var block in data.GroupBy(r => blockOf(r)).Where(g => g.Key is not null))
        {
            var key = totalKey is null ? null : totalKey(block.First());
            var blockTotals = totals.Where(t => key is null || totalKey!(t) == key).ToList();
            var categories = block.Select(categoryOf).Distinct().ToList();
            var countries = block.Concat(blockTotals).Where(r => r.DimensionValues["REF_AREA"] != "XCA4").Select(r => r.DimensionValues["REF_AREA"]).Distinct().ToList();
            var pool = countries.Count > 1 && block.Concat(blockTotals).Any(r => r.DimensionValues["REF_AREA"] == "XCA4");
            var rows = Margin.WithTotal(categories.Count);
            var columns = pool ? Margin.WithTotal(countries.Count) : Margin.WithoutTotal(countries.Count);
            var cells = new DisclosureCell[rows.Size, columns.Size];
            var mask = new bool[rows.Size, columns.Size];
            void Place(ReportRow row, int r)
            {
                var area = row.DimensionValues["REF_AREA"];
                var c = area == "XCA4" ? (pool ? countries.Count : -1) : countries.IndexOf(area);
                if (c < 0) return;
                cells[r, c] = new DisclosureCell(1, 1);
                mask[r, c] = row.Cells[measure].Flag == CellFlag.Suppressed;
            }

            foreach (var row in block) Place(row, categories.IndexOf(categoryOf(row)));
            foreach (var row in blockTotals) Place(row, categories.Count);
            var pinned = DisclosureAudit.PinnedCells(new DisclosureTable(cells, rows, columns), mask);
            Assert.True(pinned.Count == 0, $"{table.Id} block {block.Key}: suppressed cells {string.Join(", ", pinned)} follow from the published totals");
            foreach (var m in mask) audited += m ? 1 : 0;
        }

        return audited;
    }
}
