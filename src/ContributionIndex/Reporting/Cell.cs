namespace ContributionIndex.Reporting;

/// <summary>One table cell: a number or a label, its quality flag and the numbers of the notes it refers to.</summary>
/// <remarks>
/// A cell whose flag withholds the value (<c>[c]</c>, <c>[x]</c>, <c>[z]</c>) never carries a number, so a renderer
/// cannot publish a suppressed value by mistake. Text from input data stays text in every renderer.
/// </remarks>
public sealed record Cell
{
    private Cell(double? value, string? text, CellFlag flag, IReadOnlyList<int> notes)
    {
        Value = value;
        Text = text;
        Flag = flag;
        Notes = notes;
    }

    /// <summary>The number, or null for a label or a withheld value.</summary>
    public double? Value { get; }

    /// <summary>The label text of a dimension cell, or null for a number.</summary>
    public string? Text { get; }

    /// <summary>The quality flag.</summary>
    public CellFlag Flag { get; }

    /// <summary>Numbers of the table notes this cell refers to (<c>[note 1]</c>), ascending.</summary>
    public IReadOnlyList<int> Notes { get; }

    /// <summary>An empty cell (no value, no flag), used for blank precision cells of label rows.</summary>
    public static Cell Empty { get; } = new(null, null, CellFlag.None, []);

    /// <summary>A numeric cell.</summary>
    /// <param name="value">The value; must be finite.</param>
    /// <param name="flag"><see cref="CellFlag.None"/> or <see cref="CellFlag.LowReliability"/>; withholding flags use <see cref="Withheld"/>.</param>
    /// <param name="notes">Note numbers.</param>
    /// <exception cref="ArgumentException">The value is not finite or the flag withholds the value.</exception>
    public static Cell Number(double value, CellFlag flag = CellFlag.None, params int[] notes)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"A table cell must hold a finite number, not {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; use Cell.Withheld(CellFlag.NotAvailable) for a missing value.", nameof(value));
        if (flag.WithholdsValue())
            throw new ArgumentException($"Flag {flag.Symbol()} withholds the value; use Cell.Withheld.", nameof(flag));
        return new Cell(value, null, flag, SortedNotes(notes));
    }

    /// <summary>A numeric cell from a possibly missing or non-finite value: missing and NaN become <c>[x]</c>.</summary>
    public static Cell NumberOrNotAvailable(double? value, CellFlag flag = CellFlag.None, params int[] notes) =>
        value is { } v && double.IsFinite(v)
            ? (flag.WithholdsValue() ? Withheld(flag, notes) : Number(v, flag, notes))
            : Withheld(CellFlag.NotAvailable, notes);

    /// <summary>A cell whose value is withheld, shown only by its flag.</summary>
    /// <exception cref="ArgumentException">The flag does not withhold a value.</exception>
    public static Cell Withheld(CellFlag flag, params int[] notes)
    {
        if (!flag.WithholdsValue()) throw new ArgumentException($"Flag {flag} does not withhold a value.", nameof(flag));
        return new Cell(null, null, flag, SortedNotes(notes));
    }

    /// <summary>A label cell (text from the study, resources or input data; never interpreted as a formula).</summary>
    public static Cell Label(string text, params int[] notes)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Cell(null, text, CellFlag.None, SortedNotes(notes));
    }

    private static int[] SortedNotes(int[] notes)
    {
        if (notes.Length == 0) return [];
        var copy = notes.Distinct().Order().ToArray();
        if (copy[0] < 1) throw new ArgumentException("Note numbers start at 1.", nameof(notes));
        return copy;
    }

    /// <inheritdoc />
    public bool Equals(Cell? other) =>
        other is not null && Nullable.Equals(Value, other.Value) && Text == other.Text && Flag == other.Flag &&
        Notes.SequenceEqual(other.Notes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Text, Flag, Notes.Count);
}
