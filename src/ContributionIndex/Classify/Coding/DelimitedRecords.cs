using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>A small RFC 4180 record reader for the coder's own files (training TSV, review queues), with physical line numbers.</summary>
internal static class DelimitedRecords
{
    /// <summary>Yields each record with the 1-based physical line it starts on; quotes are honoured only when <paramref name="quoting"/> is set.</summary>
    public static IEnumerable<(long Line, string[] Fields)> Read(TextReader reader, char separator, bool quoting)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1, recordLine = 1;
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }

                continue;
            }

            if (quoting && ch == '"' && field.Length == 0) { inQuotes = true; any = true; continue; }
            if (ch == separator) { fields.Add(field.ToString()); field.Clear(); any = true; continue; }
            if (ch == '\r') continue;
            if (ch == '\n')
            {
                if (any || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    yield return (recordLine, fields.ToArray());
                }

                fields.Clear();
                field.Clear();
                any = false;
                line++;
                recordLine = line;
                continue;
            }

            field.Append(ch);
            any = true;
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
