using System.Globalization;

namespace ContributionIndex.Diagnostics;

/// <summary>A place in an input file: path, 1-based line and 1-based column (0 when not known).</summary>
/// <param name="File">The file path as the user gave it (relative paths are kept relative for readable messages).</param>
/// <param name="Line">1-based physical line number; for XLSX the 1-based sheet row; 0 when the location is the whole file.</param>
/// <param name="Column">1-based column (field) number; 0 when the location is a whole row.</param>
/// <param name="ColumnName">The column header, when there is one.</param>
public readonly record struct SourceLocation(string File, long Line, int Column, string? ColumnName = null)
{
    /// <summary>The location of a whole file.</summary>
    public static SourceLocation OfFile(string file) => new(file, 0, 0);

    /// <summary>Formats as <c>file:line:column</c> (the convention compilers use, so editors can jump to it).</summary>
    public override string ToString()
    {
        if (Line <= 0) return File;
        var column = Column > 0 ? string.Create(CultureInfo.InvariantCulture, $":{Column}") : string.Empty;
        var name = ColumnName is { Length: > 0 } ? $" (column '{ColumnName}')" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}{column}{name}");
    }
}
