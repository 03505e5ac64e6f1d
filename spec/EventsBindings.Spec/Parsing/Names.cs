using System.Text;

namespace EventsBindings.Spec.Parsing;

/// <summary>C# naming rules for names taken from contracts.</summary>
public static class Names
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>True when <paramref name="name"/> is a C# identifier that is not a keyword.</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || name.Length > 200 || Keywords.Contains(name))
        {
            return false;
        }

        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_') || c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="name"/> has only lowercase ASCII letters: C# reserves such type names for
    /// future keywords (warning CS8981), so a contract may not give one to a generated type.
    /// </summary>
    public static bool IsLowercaseTypeName(string name)
    {
        foreach (var c in name)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>True when <paramref name="name"/> is a dotted namespace of identifiers.</summary>
    public static bool IsNamespace(string name)
    {
        foreach (var part in name.Split('.'))
        {
            if (!IsIdentifier(part))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PascalCase from a wire or JSON name: <c>user_email</c> → <c>UserEmail</c>.</summary>
    public static string ToPascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is '_' or '-' or '.' or ' ' || !(char.IsLetterOrDigit(c) && c <= 0x7F))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
