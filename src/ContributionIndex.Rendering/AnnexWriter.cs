using ContributionIndex.Reporting;

namespace ContributionIndex.Rendering;

/// <summary>The output formats of an annex.</summary>
[Flags]
public enum AnnexFormats
{
    /// <summary>No output.</summary>
    None = 0,

    /// <summary>Excel workbook.</summary>
    Xlsx = 1,

    /// <summary>PDF document.</summary>
    Pdf = 2,

    /// <summary>Tidy CSV, one file per table.</summary>
    Csv = 4,

    /// <summary>SDMX-CSV 1.0 on the SDG structure.</summary>
    Sdmx = 8,

    /// <summary>Every format.</summary>
    All = Xlsx | Pdf | Csv | Sdmx,
}

/// <summary>Writes an annex in the requested formats into one folder, each file atomically.</summary>
public static class AnnexWriter
{
    /// <summary>Parses a comma-separated format list such as <c>xlsx,pdf</c>.</summary>
    /// <exception cref="ArgumentException">A name is not one of xlsx, pdf, csv, sdmx.</exception>
    public static AnnexFormats ParseFormats(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var formats = AnnexFormats.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            formats |= part.ToLowerInvariant() switch
            {
                "xlsx" => AnnexFormats.Xlsx,
                "pdf" => AnnexFormats.Pdf,
                "csv" => AnnexFormats.Csv,
                "sdmx" => AnnexFormats.Sdmx,
                _ => throw new ArgumentException($"Unknown format '{part}'; use a comma-separated list of xlsx, pdf, csv, sdmx.", nameof(text)),
            };
        }

        return formats == AnnexFormats.None ? throw new ArgumentException("No output format given; use xlsx, pdf, csv and/or sdmx.", nameof(text)) : formats;
    }

    /// <summary>Writes the files and returns their paths; <paramref name="progress"/> receives one line per file.</summary>
    public static IReadOnlyList<string> Write(Annex annex, string directory, AnnexFormats formats, string softwareVersion, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(annex);
        Directory.CreateDirectory(directory);
        var stem = annex.Cover.StudyId + "-annex-" + annex.Language.Code;
        var written = new List<string>();
        if (formats.HasFlag(AnnexFormats.Xlsx))
        {
            var path = Path.Combine(directory, stem + ".xlsx");
            progress?.Invoke("writing " + Path.GetFileName(path));
            ExcelRenderer.WriteFile(annex, path, softwareVersion);
            written.Add(path);
        }

        if (formats.HasFlag(AnnexFormats.Pdf))
        {
            var path = Path.Combine(directory, stem + ".pdf");
            progress?.Invoke("writing " + Path.GetFileName(path));
            Pdf.PdfRenderer.WriteFile(annex, path, softwareVersion);
            written.Add(path);
        }

        if (formats.HasFlag(AnnexFormats.Csv))
        {
            progress?.Invoke("writing tidy CSV tables");
            written.AddRange(TidyCsvRenderer.WriteFiles(annex, Path.Combine(directory, "csv"), annex.Cover.StudyId + "-"));
        }

        if (formats.HasFlag(AnnexFormats.Sdmx))
        {
            var path = Path.Combine(directory, annex.Cover.StudyId + ".sdmx.csv");
            progress?.Invoke("writing " + Path.GetFileName(path));
            SdmxCsvRenderer.WriteFile(annex, path, annex.Cover.ReferencePeriod);
            written.Add(path);
        }

        return written;
    }
}
