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

    /// <summary>Open SDG platform data and metadata files (methodology/open-sdg.md); not in the default list.</summary>
    OpenSdg = 16,

    /// <summary>Every format.</summary>
    All = Xlsx | Pdf | Csv | Sdmx | OpenSdg,
}

/// <summary>Writes an annex in the requested formats into one folder, each file atomically.</summary>
public static class AnnexWriter
{
    /// <summary>Parses a comma-separated format list such as <c>xlsx,pdf</c>.</summary>
    /// <exception cref="ArgumentException">A name is not one of xlsx, pdf, csv, sdmx, opensdg.</exception>
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
                "opensdg" => AnnexFormats.OpenSdg,
                _ => throw new ArgumentException($"Unknown format '{part}'; use a comma-separated list of xlsx, pdf, csv, sdmx, opensdg.", nameof(text)),
            };
        }

        return formats == AnnexFormats.None ? throw new ArgumentException("No output format given; use xlsx, pdf, csv, sdmx and/or opensdg.", nameof(text)) : formats;
    }

    /// <summary>Writes the files and returns their paths; <paramref name="progress"/> receives one line per file.</summary>
    /// <remarks>
    /// The formats are independent renderings of the same immutable annex, so they are written concurrently (the
    /// workbook and the PDF each take most of a core); every file's bytes are the same as when written alone. Progress
    /// lines come first, in format order, from the calling thread; when a renderer fails, the error of the first format
    /// in that order is thrown, after the others have finished.
    /// </remarks>
    public static IReadOnlyList<string> Write(Annex annex, string directory, AnnexFormats formats, string softwareVersion, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(annex);
        Directory.CreateDirectory(directory);
        var stem = annex.Cover.StudyId + "-annex-" + annex.Language.Code;
        var jobs = new List<(string Progress, Func<IReadOnlyList<string>> Render)>();
        if (formats.HasFlag(AnnexFormats.Xlsx))
        {
            var path = Path.Combine(directory, stem + ".xlsx");
            jobs.Add(("writing " + Path.GetFileName(path), () =>
            {
                ExcelRenderer.WriteFile(annex, path, softwareVersion);
                return [path];
            }));
        }

        if (formats.HasFlag(AnnexFormats.Pdf))
        {
            var path = Path.Combine(directory, stem + ".pdf");
            jobs.Add(("writing " + Path.GetFileName(path), () =>
            {
                Pdf.PdfRenderer.WriteFile(annex, path, softwareVersion);
                return [path];
            }));
        }

        if (formats.HasFlag(AnnexFormats.Csv))
            jobs.Add(("writing tidy CSV tables", () => TidyCsvRenderer.WriteFiles(annex, Path.Combine(directory, "csv"), annex.Cover.StudyId + "-")));

        if (formats.HasFlag(AnnexFormats.Sdmx))
        {
            var path = Path.Combine(directory, annex.Cover.StudyId + ".sdmx.csv");
            jobs.Add(("writing " + Path.GetFileName(path), () =>
            {
                SdmxCsvRenderer.WriteFile(annex, path, annex.Cover.ReferencePeriod);
                return [path];
            }));
        }

        if (formats.HasFlag(AnnexFormats.OpenSdg))
            jobs.Add(("writing Open SDG data and metadata", () => OpenSdgRenderer.WriteFiles(annex, Path.Combine(directory, "opensdg"))));

        foreach (var job in jobs) progress?.Invoke(job.Progress);
        IReadOnlyList<string>[] results;
        if (jobs.Count == 1)
        {
            results = [jobs[0].Render()];
        }
        else
        {
            var tasks = jobs.Select(job => Task.Run(job.Render)).ToArray();
            try
            {
                Task.WaitAll(tasks);
            }
            catch (AggregateException)
            {
                // Rethrow the first failure in format order, with its own stack trace.
                var failed = tasks.First(t => t.IsFaulted);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Exception!.InnerException!).Throw();
            }

            results = [.. tasks.Select(t => t.Result)];
        }

        return [.. results.SelectMany(r => r)];
    }
}
