using System.Collections;

namespace ContributionIndex.Estimation;

/// <summary>
/// A label column held as one integer code per row and one string per distinct label (strata, PSUs, by-variables,
/// proportion columns): no string per row. Codes number the labels in order of first appearance; −1 is a missing label.
/// </summary>
internal sealed class CodedLabels : IReadOnlyList<string?>
{
    public CodedLabels(int[] codes, IReadOnlyList<string> values)
    {
        Codes = codes;
        Values = values;
    }

    /// <summary>The code of each row, −1 when the row has no label.</summary>
    public int[] Codes { get; }

    /// <summary>The distinct labels, indexed by code.</summary>
    public IReadOnlyList<string> Values { get; }

    public int Count => Codes.Length;

    public string? this[int index] => Codes[index] is var code and >= 0 ? Values[code] : null;

    /// <summary>Codes the labels <paramref name="label"/>(0..n−1), none of them null.</summary>
    public static CodedLabels Intern(int rowCount, Func<int, string> label)
    {
        var table = new LabelTable();
        var codes = new int[rowCount];
        for (int i = 0; i < rowCount; i++) codes[i] = table.Code(label(i));
        return new CodedLabels(codes, table.Values);
    }

    public IEnumerator<string?> GetEnumerator()
    {
        for (int i = 0; i < Codes.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Distinct labels numbered in order of first appearance.</summary>
internal sealed class LabelTable
{
    private readonly Dictionary<string, int> codes = new(StringComparer.Ordinal);
    private readonly List<string> values = [];

    public IReadOnlyList<string> Values => values;

    /// <summary>The code of <paramref name="label"/>, numbering it when it is new.</summary>
    public int Code(string label)
    {
        if (!codes.TryGetValue(label, out var code))
        {
            code = values.Count;
            codes.Add(label, code);
            values.Add(label);
        }

        return code;
    }
}
