using System.Text;

namespace EventsBindings.Generator.Emitter;

/// <summary>A small indented text writer for generated C# (after System.Text.Json's SourceWriter).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(text).Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Outdent()
    {
        _indent--;
        return this;
    }

    public SourceWriter Summary(string? text, string fallback)
    {
        Line("/// <summary>" + (string.IsNullOrWhiteSpace(text) ? SourceLiterals.Xml(fallback) : SourceLiterals.Xml(text)) + "</summary>");
        return this;
    }

    public override string ToString() => _builder.ToString();
}
