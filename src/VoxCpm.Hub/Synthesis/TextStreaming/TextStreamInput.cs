namespace VoxCpm.Hub.Synthesis.TextStreaming;

/// <summary>One message of a text-in stream: text to append, or a flush (speak what is pending now). The end is the channel's completion.</summary>
internal readonly record struct TextStreamInput(string Text, bool Flush)
{
    public static TextStreamInput Append(string text) => new(text, false);

    public static TextStreamInput FlushNow { get; } = new("", true);
}
