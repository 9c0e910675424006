using System.Text;
using ContributionIndex.IO;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.IO;

/// <summary>The one atomic writer: the whole new file or the old one, never a part, and no temporary file left behind.</summary>
public class AtomicFileTests
{
    [Fact]
    public void Text_is_written_in_UTF8_without_BOM_with_LF_new_lines_and_no_temporary_file_remains()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sub/out.csv");
        AtomicFile.WriteText(path, w => { w.WriteLine("a,Ж"); w.Write("b"); });
        Assert.Equal([.. "a,Ж\nb"u8], File.ReadAllBytes(path));
        Assert.Equal(["out.csv"], Directory.GetFiles(dir.File("sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void An_encoding_with_a_byte_order_mark_starts_the_file_with_it()
    {
        using var dir = new TempDirectory();
        AtomicFile.WriteAllText(dir.File("q.csv"), "x\n", AtomicFile.Utf8WithByteOrderMark);
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'x', (byte)'\n'], File.ReadAllBytes(dir.File("q.csv")));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[200_000]);
            throw new InvalidOperationException("writer failed");
        }));
        Assert.Equal("writer failed", error.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void The_temporary_file_is_hidden_next_to_the_target_until_commit_and_gone_when_disposed_without_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("valued.csv");
        using (var file = new AtomicFile(path))
        {
            file.Writer.Write("row\n");
            var temporary = Assert.Single(Directory.GetFiles(dir.Path));
            Assert.Matches(@"^\.valued\.csv\.[0-9a-f]{32}\.tmp$", Path.GetFileName(temporary));
            Assert.False(File.Exists(path));
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_commit_replaces_the_target_and_streamed_bytes_are_kept_as_written()
    {
        using var dir = new TempDirectory();
        var path = dir.File("data.bin");
        File.WriteAllText(path, "old");
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        using (var file = new AtomicFile(path, Encoding.Unicode))
        {
            // The stream is written as it is: the text encoding (and its byte order mark) plays no part.
            file.Stream.Write(bytes);
            file.Commit();
            Assert.Throws<ObjectDisposedException>(() => file.Stream);
        }

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(["data.bin"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
