using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's <c>servers</c> part: URLs, URL templates and their variables, checked against each other.</summary>
internal sealed partial class ContractParser
{
    private void CheckUrl(YScalar scalar)
    {
        if (!Uri.TryCreate(scalar.Value, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"'{MapReader.Truncate(scalar.Value)}' is not an absolute http(s) URL.", scalar);
        }
    }

    private List<ServerSpec> ReadServers(YSequence? sequence)
    {
        var result = new List<ServerSpec>();
        if (sequence is null)
        {
            return result;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        YNode? firstDefault = null;
        foreach (var item in sequence.Items)
        {
            if (item is not YMapping mapping)
            {
                _context.Error(DiagnosticIds.WrongType, $"A server is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, mapping, "a server", ContractKeys.Server);
            var name = ReadIdentifier(reader, "name", required: true);
            var url = reader.Scalar("url", required: true);
            var isDefault = reader.Bool("default");
            var variables = ReadServerVariables(reader);
            if (url is not null && (variables is not null || url.Value.IndexOf('{') >= 0 || url.Value.IndexOf('}') >= 0))
            {
                CheckServerTemplate(url, variables ?? new List<(ServerVariableSpec Spec, YScalar Key)>());
            }
            else if (url is not null)
            {
                CheckUrl(url);
            }

            if (name is "Default" or "GetUri" && variables is { Count: > 0 })
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"A server with variables may not be named '{name}' (its factory method would clash with the generated {name} member).", reader.Node("name")!);
            }

            if (name is not null && !names.Add(name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The server '{name}' is declared twice.", reader.Node("name")!);
            }

            if (isDefault)
            {
                if (firstDefault is not null)
                {
                    _context.Error(DiagnosticIds.InvalidValue, "Only one server may be the default.", reader.Node("default")!);
                }

                firstDefault ??= mapping;
            }

            if (name is not null && url is not null)
            {
                result.Add(new ServerSpec(name, url.Value.TrimEnd('/'), isDefault, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")))
                {
                    Variables = OrderByUrl(url.Value, variables),
                });
            }
        }

        if (result.Count > 0 && firstDefault is null)
        {
            result[0] = result[0] with { IsDefault = true };
        }

        return result;
    }

    /// <summary>The <c>{name}</c> placeholders of a URL template, in order of first appearance; null when a brace is unbalanced.</summary>
    internal static List<string>? Placeholders(string url)
    {
        var result = new List<string>();
        var index = 0;
        while (index < url.Length)
        {
            var open = url.IndexOf('{', index);
            var close = url.IndexOf('}', index);
            if (open < 0 && close < 0)
            {
                break;
            }

            if (open < 0 || (close >= 0 && close < open))
            {
                return null;
            }

            var end = url.IndexOf('}', open + 1);
            var nested = url.IndexOf('{', open + 1);
            if (end < 0 || (nested >= 0 && nested < end))
            {
                return null;
            }

            var name = url.Substring(open + 1, end - open - 1);
            if (!result.Contains(name))
            {
                result.Add(name);
            }

            index = end + 1;
        }

        return result;
    }

    private List<(ServerVariableSpec Spec, YScalar Key)>? ReadServerVariables(MapReader server)
    {
        var mapping = server.Map("variables");
        if (mapping is null)
        {
            return null;
        }

        var result = new List<(ServerVariableSpec, YScalar)>();
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!Names.IsIdentifier(name))
            {
                _context.Error(DiagnosticIds.InvalidIdentifier, $"The server variable name '{MapReader.Truncate(name)}' is not a valid C# identifier (it becomes a parameter of the server's factory).", entry.Key);
                continue;
            }

            if (result.Exists(v => v.Item1.Name == name))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The server variable '{name}' is declared twice.", entry.Key);
                continue;
            }

            string? defaultValue = null;
            string? description = null;
            var allowed = new List<string>();
            if (entry.Value is YMapping node)
            {
                var reader = new MapReader(_context, node, $"the server variable '{name}'", ContractKeys.ServerVariable);
                var defaultNode = reader.Scalar("default");
                description = reader.String("description");
                foreach (var item in reader.ScalarList("enum"))
                {
                    if (!CheckServerVariableValue(item, name))
                    {
                        continue;
                    }

                    if (allowed.Contains(item.Value))
                    {
                        _context.Error(DiagnosticIds.DuplicateName, $"The value '{MapReader.Truncate(item.Value)}' appears twice in the enum of the server variable '{name}'.", item);
                        continue;
                    }

                    allowed.Add(item.Value);
                }

                if (reader.Node("enum") is YSequence { Items.Count: 0 } emptyEnum)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"The enum of the server variable '{name}' is empty; list the allowed values or drop 'enum'.", emptyEnum);
                }

                if (defaultNode is not null && CheckServerVariableValue(defaultNode, name))
                {
                    defaultValue = defaultNode.Value;
                    if (allowed.Count > 0 && !allowed.Contains(defaultValue))
                    {
                        _context.Error(DiagnosticIds.InvalidValue, $"The default '{MapReader.Truncate(defaultValue)}' of the server variable '{name}' is not in its enum{Suggest.DidYouMean(defaultValue, allowed)}.", defaultNode);
                    }
                }
            }
            else if (entry.Value is not YScalar { IsNull: true })
            {
                _context.Error(DiagnosticIds.WrongType, $"The server variable '{name}' must be a mapping (default, description, enum), not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            result.Add((new ServerVariableSpec(name, defaultValue, description, allowed.ToEquatableArray()), entry.Key));
        }

        return result;
    }

    private bool CheckServerVariableValue(YScalar value, string variable)
    {
        foreach (var c in value.Value)
        {
            if (c is '/' or '?' or '#' or '@' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                _context.Error(DiagnosticIds.InvalidValue, $"A value of the server variable '{variable}' may not contain '/', '?', '#', '@', braces or whitespace ('{MapReader.Truncate(value.Value)}').", value);
                return false;
            }
        }

        if (value.Value.Length == 0)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"A value of the server variable '{variable}' may not be empty.", value);
            return false;
        }

        return true;
    }

    private void CheckServerTemplate(YScalar url, List<(ServerVariableSpec Spec, YScalar Key)> variables)
    {
        var placeholders = Placeholders(url.Value);
        if (placeholders is null)
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"The braces of '{MapReader.Truncate(url.Value)}' do not pair up: a placeholder is written {{name}}.", url);
            return;
        }

        var ok = true;
        foreach (var placeholder in placeholders)
        {
            if (!variables.Exists(v => v.Spec.Name == placeholder))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The placeholder '{{{MapReader.Truncate(placeholder)}}}' of the server URL has no variable under 'variables'{Suggest.DidYouMean(placeholder, variables.Select(v => v.Spec.Name))}.", url);
                ok = false;
            }
        }

        foreach (var variable in variables)
        {
            if (!placeholders.Contains(variable.Spec.Name))
            {
                _context.Error(DiagnosticIds.PathMismatch, $"The server variable '{variable.Spec.Name}' does not appear as {{{variable.Spec.Name}}} in the URL '{MapReader.Truncate(url.Value)}'.", variable.Key);
            }
        }

        if (!ok)
        {
            return;
        }

        // The URL must be an absolute http(s) URL whatever the values: check it with each variable's default
        // (or a plain stand-in), and check that no variable lands in the scheme.
        var expanded = url.Value;
        foreach (var variable in variables)
        {
            expanded = expanded.Replace("{" + variable.Spec.Name + "}", variable.Spec.Default ?? "example");
        }

        var schemeEnd = url.Value.IndexOf("://", StringComparison.Ordinal);
        var firstBrace = url.Value.IndexOf('{');
        if (!Uri.TryCreate(expanded, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http") || (firstBrace >= 0 && (schemeEnd < 0 || firstBrace < schemeEnd)))
        {
            _context.Error(DiagnosticIds.InvalidUrl, $"'{MapReader.Truncate(url.Value)}' is not an absolute http(s) URL once its variables are filled ('{MapReader.Truncate(expanded)}').", url);
        }
    }

    private static EquatableArray<ServerVariableSpec> OrderByUrl(string url, List<(ServerVariableSpec Spec, YScalar Key)>? variables)
    {
        if (variables is null)
        {
            return EquatableArray<ServerVariableSpec>.Empty;
        }

        var order = Placeholders(url) ?? new List<string>();
        return variables
            .Select(v => v.Spec)
            .OrderBy(v => order.IndexOf(v.Name) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToEquatableArray();
    }
}
