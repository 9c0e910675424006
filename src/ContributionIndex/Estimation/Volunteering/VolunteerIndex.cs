using System.Collections.Immutable;
using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Composite.Io;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Studies;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>The Volunteer Contribution Index over a study's countries with replicate standard errors of every country's index score.</summary>
/// <param name="Result">The composite index (scores and ranks at every level).</param>
/// <param name="Data">The raw indicator matrix the index was computed from (countries × framework indicators).</param>
/// <param name="StandardErrors">Index standard error per unit, aligned on <see cref="IndexResult.Units"/> (NaN without a score).</param>
public sealed record VolunteerIndexResult(IndexResult Result, IndicatorData Data, ImmutableArray<double> StandardErrors);

/// <summary>
/// Runs the composite index of the study's <c>index:</c> section over its countries, from the indicators of
/// <see cref="VolunteerIndicatorEstimates"/>, and carries sampling error into the index by recomputing it on every replicate.
/// </summary>
/// <remarks>
/// Countries are independent samples with their own replicates. For country c, the index of every unit is recomputed on
/// each of c's replicates with c's indicators replaced by their replicate values and the other countries' held at the
/// full sample (<see cref="ReplicateErrors.IndexStandardErrors"/> with <see cref="ReplicateVariance.Compute"/> and c's
/// design constants as the variance function); the index variance of a unit is the sum over countries of these
/// variances, which carries the effect of data-dependent normalisations (min-max, z-score) across countries.
/// </remarks>
public static class VolunteerIndex
{
    /// <summary>The index options of a study's <c>index:</c> section.</summary>
    public static IndexOptions Options(IndexSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new IndexOptions
        {
            Normalisation = spec.Normalisation,
            PillarAggregation = spec.Aggregation,
            IndexAggregation = spec.Aggregation,
            PowerMeanExponent = spec.Power,
            Weighting = spec.Weighting,
            MinUnitCoverage = spec.MinCoverage,
            MinPillarCoverage = spec.MinPillarCoverage,
            ScoreMin = spec.ScoreMin,
        };
    }

    /// <summary>Computes the index of the study's framework over its countries (not the regional pool) with replicate SEs.</summary>
    /// <exception cref="StudyFileException">The study has no <c>index:</c> section.</exception>
    /// <exception cref="InputDataException">The framework names an indicator this engine does not compute.</exception>
    public static VolunteerIndexResult Compute(Study study, VolunteerIndicatorSet indicators)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(indicators);
        var spec = study.Index ?? throw new StudyFileException(study.LocationOf(""), "the study has no 'index:' section, so no composite index can be built.",
            "Add 'index: framework: parameters/vci-framework.csv' (see methodology/volunteer-estimates.md).");
        var framework = IndexFiles.ReadFramework(spec.FrameworkFullPath.Length > 0 ? spec.FrameworkFullPath : study.ResolvePath(spec.Framework));
        foreach (var indicator in framework.Indicators)
        {
            if (!VolunteerIndicatorEstimates.Codes.Contains(indicator.Code))
                throw new InputDataException(SourceLocation.OfFile(framework.Source), $"indicator '{indicator.Code}' of the framework is not computed from survey estimates.",
                    $"Use codes of methodology/indicators.md: {string.Join(", ", VolunteerIndicatorEstimates.Codes)}.");
        }

        var units = indicators.Units.Where(u => u != VolunteerEstimates.RegionalScope).ToArray();
        var options = Options(spec);
        var full = Matrix(framework, units, indicators, replicateOf: null, replicate: -1);
        var result = CompositeIndex.Compute(full, options);

        var variance = new double[units.Length];
        for (int c = 0; c < units.Length; c++)
        {
            var design = indicators.Designs[units[c]];
            if (design.ReplicateCount == 0)
            {
                // Taylor linearisation (convert: none): the index has no replicate errors to carry.
                Array.Fill(variance, double.NaN);
                break;
            }

            var replicates = Enumerable.Range(0, design.ReplicateCount).Select(r => Matrix(framework, units, indicators, units[c], r)).ToArray();
            var errors = ReplicateErrors.IndexStandardErrors(full, replicates, options,
                (estimate, values) => ReplicateVariance.Compute(estimate, [.. values], design.Scale, design.RScales, design.Mse));
            for (int u = 0; u < units.Length; u++) variance[u] += errors[u] * errors[u];
        }

        return new VolunteerIndexResult(result, full, [.. variance.Select(Math.Sqrt)]);
    }

    /// <summary>The unit × indicator matrix at the full sample, or with unit <paramref name="replicateOf"/>'s values from replicate <paramref name="replicate"/>.</summary>
    private static IndicatorData Matrix(Framework framework, string[] units, VolunteerIndicatorSet indicators, string? replicateOf, int replicate)
    {
        var values = new double[units.Length, framework.Indicators.Length];
        for (int u = 0; u < units.Length; u++)
        {
            for (int i = 0; i < framework.Indicators.Length; i++)
            {
                var estimate = indicators.Find(units[u], framework.Indicators[i].Code);
                double value = estimate?.Value ?? double.NaN;
                if (units[u] == replicateOf && estimate is { Replicates.Count: > 0 }) value = estimate.Replicates[replicate];
                values[u, i] = value;
            }
        }

        return IndicatorData.FromMatrix(framework, units, values);
    }

    /// <summary>Writes the raw indicator matrix as long-format <c>unit,indicator,value</c> (readable by <c>contrib index --data</c>; missing values empty).</summary>
    public static void WriteData(string path, IndicatorData data)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.WriteText(path, writer =>
        {
            writer.Write(IndexFiles.DataHeader + "\n");
            for (int u = 0; u < data.Units.Length; u++)
            {
                for (int i = 0; i < data.Framework.Indicators.Length; i++)
                    CsvText.WriteRecord(writer, [CsvText.Text(data.Units[u]), CsvText.Text(data.Framework.Indicators[i].Code), CsvText.Number(data[u, i])]);
            }
        });
    }

    /// <summary>Writes <c>index_se.csv</c>: <c>unit,index,se,rank</c> (invariant, round-trip, atomic).</summary>
    public static void WriteStandardErrors(string path, VolunteerIndexResult index)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(index);
        AtomicFile.WriteText(path, writer =>
        {
            writer.Write("unit,index,se,rank\n");
            var result = index.Result;
            for (int u = 0; u < result.Units.Length; u++)
            {
                CsvText.WriteRecord(writer, [CsvText.Text(result.Units[u]), CsvText.Number(result.IndexScore(u)), CsvText.Number(index.StandardErrors[u]),
                    CsvText.Integer(result.IndexRank(u))]);
            }
        });
    }
}
