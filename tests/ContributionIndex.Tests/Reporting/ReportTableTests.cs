using ContributionIndex.Reporting;

namespace ContributionIndex.Tests.Reporting;

public sealed class ReportTableTests
{
    private static readonly ReportColumn[] Columns =
    [
        ReportColumn.Dimension("category", "Category"),
        ReportColumn.Measure("value", "Value", NumberStyle.Integer, "PERSONS"),
    ];

    [Fact]
    public void A_cell_never_holds_a_withheld_value_or_a_non_finite_number()
    {
        Assert.Throws<ArgumentException>(() => Cell.Number(double.NaN));
        Assert.Throws<ArgumentException>(() => Cell.Number(double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => Cell.Number(1, CellFlag.Suppressed));
        Assert.Throws<ArgumentException>(() => Cell.Withheld(CellFlag.LowReliability));
        Assert.Equal(CellFlag.NotAvailable, Cell.NumberOrNotAvailable(double.NaN).Flag);
        Assert.Null(Cell.NumberOrNotAvailable(null).Value);
        Assert.Null(Cell.NumberOrNotAvailable(5, CellFlag.Suppressed).Value);
        Assert.Equal(5, Cell.NumberOrNotAvailable(5, CellFlag.LowReliability).Value);
    }

    [Fact]
    public void Flags_have_the_documented_symbols()
    {
        Assert.Equal(["[u]", "[c]", "[x]", "[z]"], CellFlags.Published.Select(f => f.Symbol()));
        Assert.Equal("", CellFlag.None.Symbol());
        Assert.Equal("u", CellFlag.LowReliability.Letter());
    }

    [Fact]
    public void The_table_checks_its_shape_and_note_references()
    {
        Assert.Throws<ArgumentException>(() => new ReportTable("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Label("a")])], [], "s", false));
        Assert.Throws<ArgumentException>(() => new ReportTable("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Number(1), Cell.Number(1)])], [], "s", false));
        Assert.Throws<ArgumentException>(() => new ReportTable("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Label("a"), Cell.Label("b")])], [], "s", false));
        Assert.Throws<ArgumentException>(() => new ReportTable("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Label("a", 2), Cell.Number(1)])], [new ReportNote(1, "n")], "s", false));
        var table = new ReportTable("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Label("a", 1), Cell.Number(1, CellFlag.LowReliability)])], [new ReportNote(1, "n")], "s", true);
        Assert.True(table.Uses(CellFlag.LowReliability));
        Assert.False(table.Uses(CellFlag.Suppressed));
    }

    [Fact]
    public void Equal_content_gives_equal_tables()
    {
        ReportTable Make() => new("T", "t", "u", "2023", Columns, [new ReportRow([Cell.Label("a", 1), Cell.Number(1.5)], 1, RowRole.Data, new Dictionary<string, string> { ["SEX"] = "F" })], [new ReportNote(1, "n")], "s", true);
        Assert.Equal(Make(), Make());
    }
}
