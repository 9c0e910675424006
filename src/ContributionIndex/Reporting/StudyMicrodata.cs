using System.Globalization;
using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>One accepted input row joined with what the valuation stage decided about it.</summary>
/// <param name="Record">The canonical record from ingest.</param>
/// <param name="IsVolunteerWork">Whether the row was valued (no exclusion reason).</param>
/// <param name="AnnualHours">Annual hours of the row (0 when not volunteer work).</param>
/// <param name="Values">Values by method at current prices (LCU); null when not valued.</param>
/// <param name="ValuesAtBasePrices">Values by method at base-year prices (LCU); null when not valued.</param>
public sealed record ValuedRow(VolunteerRecord Record, bool IsVolunteerWork, double AnnualHours, MethodValues? Values, MethodValues? ValuesAtBasePrices);

/// <summary>
/// The study's accepted rows with their valuation (from the run's <c>valued_records.csv</c>, joined to the ingested
/// records by input and line), grouped by input. The report estimates from these rows; it never re-applies the
/// 19th ICLS rules or the valuation.
/// </summary>
public sealed class StudyMicrodata
{
    private StudyMicrodata(IReadOnlyDictionary<string, IReadOnlyList<ValuedRow>> byInput) => ByInput = byInput;

    /// <summary>Rows per input name, in input order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ValuedRow>> ByInput { get; }

    /// <summary>Reads the study's inputs again and joins each accepted row with its line in <c>valued_records.csv</c>.</summary>
    /// <param name="study">The loaded study.</param>
    /// <param name="valuedRecordsPath">The <c>valued_records.csv</c> written by <see cref="ValuationRun.Run"/> for the same study.</param>
    /// <exception cref="InvalidOperationException">The valued records do not match the inputs (the study changed between the runs).</exception>
    public static StudyMicrodata Load(Study study, string valuedRecordsPath)
    {
        ArgumentNullException.ThrowIfNull(study);
        var valued = ReadValued(valuedRecordsPath);
        var byInput = new Dictionary<string, List<ValuedRow>>(StringComparer.Ordinal);
        foreach (var input in study.Inputs) byInput[input.Name] = [];
        foreach (var item in StudyInputReader.ReadAll(study))
        {
            if (item.Record is not { } record) continue;
            if (!valued.TryGetValue((record.InputName, record.Source.Line), out var v))
                continue; // rejected by the 19th ICLS consistency checks: in quarantine.csv, not in the estimates
            if (!byInput.TryGetValue(record.InputName, out var list)) byInput[record.InputName] = list = [];
            list.Add(new ValuedRow(record, v.IsVolunteerWork, v.AnnualHours, v.Values, v.Base));
        }

        return new StudyMicrodata(byInput.ToDictionary(p => p.Key, p => (IReadOnlyList<ValuedRow>)p.Value, StringComparer.Ordinal));
    }

    private static Dictionary<(string Input, long Line), (bool IsVolunteerWork, double AnnualHours, MethodValues? Values, MethodValues? Base)> ReadValued(string path)
    {
        var result = new Dictionary<(string, long), (bool, double, MethodValues?, MethodValues?)>();
        // Our own output: UTF-8, comma, invariant numbers (Pipeline/OutputFiles.cs).
        using var reader = TabularFile.Open(path, new TabularOptions { Format = "csv", Encoding = "utf-8", Delimiter = ",", Decimal = ".", AllowNoDataRows = true });
        var column = OutputColumns.ValuedRecords.ToDictionary(c => c, c => reader.FindColumn(c), StringComparer.Ordinal);
        foreach (var row in reader.ReadRows())
        {
            string Field(string name) => row[column[name]];
            var input = Unescape(Field("input"));
            var line = long.Parse(Field("line"), CultureInfo.InvariantCulture);
            var volunteerWork = Field("exclusion_reason").Length == 0 && Field("value_specialist").Length > 0;
            var hours = Number(Field("annual_hours")) ?? 0;
            MethodValues? values = volunteerWork
                ? new MethodValues(Number(Field("value_specialist")) ?? 0, Number(Field("value_generalist")) ?? 0, Number(Field("value_hybrid")) ?? 0, Number(Field("value_opportunity")) ?? 0)
                : null;
            MethodValues? at = volunteerWork
                ? new MethodValues(Number(Field("value_specialist_base")) ?? 0, Number(Field("value_generalist_base")) ?? 0, Number(Field("value_hybrid_base")) ?? 0, Number(Field("value_opportunity_base")) ?? 0)
                : null;
            result[(input, line)] = (volunteerWork, volunteerWork ? hours : 0, values, at);
        }

        return result;
    }

    // valued_records.csv escapes a text starting with = + - @ with an apostrophe (Pipeline/OutputFiles.cs).
    private static string Unescape(string text) => text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? text[1..] : text;

    private static double? Number(string? text) =>
        string.IsNullOrEmpty(text) ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
