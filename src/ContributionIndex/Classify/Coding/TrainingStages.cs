using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>Wall-clock seconds of each stage of a training run (pass one to <see cref="ActivityCoder.Train(IReadOnlyList{LabelledActivity}, ActivityCoderOptions?, ConceptLexicon?, int, TrainingStages?)"/>), in the order they ended; <c>contrib classify bench --train</c> prints them. Safe to add to from several threads.</summary>
public sealed class TrainingStages
{
    private readonly List<(string Stage, double Seconds, bool Concurrent)> _stages = [];
    private readonly Lock _lock = new();

    /// <summary>The stages recorded so far: name, wall seconds and whether the stage ran beside others (a trainer job).</summary>
    public IReadOnlyList<(string Stage, double Seconds, bool Concurrent)> Stages
    {
        get
        {
            lock (_lock) return [.. _stages];
        }
    }

    /// <summary>Records the time <paramref name="watch"/> has run as <paramref name="stage"/> and restarts it.</summary>
    public void Add(string stage, Stopwatch watch, bool concurrent = false)
    {
        var seconds = watch.Elapsed.TotalSeconds;
        lock (_lock) _stages.Add((stage, seconds, concurrent));
        watch.Restart();
    }

    /// <summary>One line per stage, indented, trainer jobs marked as running beside others.</summary>
    public string Format(string indent)
    {
        var text = new StringBuilder();
        foreach (var (stage, seconds, concurrent) in Stages)
            text.Append(CultureInfo.InvariantCulture, $"{indent}{seconds,7:0.00} s  {(concurrent ? "  [job] " : string.Empty)}{stage}\n");
        return text.ToString();
    }
}
