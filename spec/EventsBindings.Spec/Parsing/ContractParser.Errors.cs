using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;
using YamlDotNet.Core;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's <c>errors</c> and <c>examples</c>: statuses, bodies and their explanation fields, and documented examples checked against their models.</summary>
internal sealed partial class ContractParser
{
    private EquatableArray<ErrorSpec> ReadErrors(YSequence? sequence, string what)
    {
        var result = new List<ErrorSpec>();
        foreach (var item in sequence?.Items ?? new List<YNode>())
        {
            if (item is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"An error response is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, node, $"an error response in {what}", ContractKeys.Error);
            var status = reader.Long("status", required: true);
            var meaning = reader.String("meaning", required: true);
            var model = reader.Scalar("model");
            var body = reader.Scalar("body");
            if (status is < 100 or > 599)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"{status} is not an HTTP status code.", reader.Node("status")!);
                status = null;
            }

            if (status is not null && result.Exists(e => e.Status == status))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The status {status} appears twice in {what}.", reader.Node("status")!);
                continue;
            }

            ModelSpec? bodyModel = null;
            if (model is not null)
            {
                bodyModel = _models.Find(m => m.Name == model.Value);
                if (bodyModel is null)
                {
                    _context.Error(DiagnosticIds.UnknownType, $"The error model '{MapReader.Truncate(model.Value)}' is not a model{Suggest.DidYouMean(model.Value, _modelNames.Keys)}.", model);
                }
            }

            if (body is not null)
            {
                var expected = bodyModel is null ? null : new TypeRef(TypeKind.Model, bodyModel.Name, false, TimestampEncoding.None);
                ValidateExampleBody(body, expected, null);
            }

            var headers = new List<HeaderValue>();
            if (reader.Map("headers") is { } headersNode)
            {
                foreach (var entry in headersNode.Entries)
                {
                    if (entry.Value is YScalar value && IsToken(entry.Key.Value))
                    {
                        headers.Add(new HeaderValue(entry.Key.Value, value.Value));
                    }
                    else
                    {
                        _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(entry.Key.Value)}' must be a header name with a scalar value.", entry.Key);
                    }
                }
            }

            var fields = ReadErrorFields(reader, bodyModel, model is not null, status, node, body);
            if (status is not null && meaning is not null)
            {
                result.Add(new ErrorSpec((int)status, meaning, bodyModel?.Name, body?.Value, headers.OrderBy(h => h.Name, StringComparer.Ordinal).ToEquatableArray(), _context.ReadProvenance(reader.Node("provenance"))) { Fields = fields });
            }
        }

        return result.OrderBy(e => e.Status).ToEquatableArray();
    }

    /// <summary>
    /// An error's <c>fields</c>: which top-level fields of its model carry the message, the parameter and a
    /// code. A 400 with a model must name at least the message's: that is where the mock explains a bad request.
    /// </summary>
    private ErrorFieldsSpec? ReadErrorFields(MapReader reader, ModelSpec? bodyModel, bool modelNamed, long? status, YMapping errorNode, YScalar? body)
    {
        var node = reader.Map("fields");
        if (node is null)
        {
            if (status == 400 && bodyModel is not null && !reader.Has("fields"))
            {
                _context.Error(DiagnosticIds.MissingKey, $"A 400 error with the model '{bodyModel.Name}' needs 'fields: {{ message: <field> }}' (and optionally parameter and code): the fields of the body that explain a bad request.", reader.Node("model") ?? errorNode);
            }

            return null;
        }

        var fields = new MapReader(_context, node, "the fields of an error response", ContractKeys.ErrorFields);
        if (bodyModel is null && !modelNamed)
        {
            _context.Error(DiagnosticIds.MissingKey, "'fields' name fields of the error's 'model', which is missing.", node);
            return null;
        }

        string? Role(string key, bool integerToo)
        {
            var scalar = fields.Scalar(key);
            if (scalar is null || bodyModel is null)
            {
                return scalar?.Value;
            }

            var field = bodyModel.FindField(scalar.Value);
            if (field is null)
            {
                _context.Error(DiagnosticIds.UnknownField, $"'{key}' names '{MapReader.Truncate(scalar.Value)}', which the error model '{bodyModel.Name}' lacks{Suggest.DidYouMean(scalar.Value, bodyModel.Fields.Select(f => f.JsonName))}.", scalar);
                return null;
            }

            if (!IsUnresolved(field.Type) && field.Type is not { IsArray: false, Kind: TypeKind.String } && !(integerToo && field.Type is { IsArray: false, Kind: TypeKind.Int32 or TypeKind.Int64 }))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'{key}' names '{scalar.Value}', which is {field.Type}; it must be a string{(integerToo ? " or an integer" : string.Empty)}.", scalar);
                return null;
            }

            return scalar.Value;
        }

        var message = Role("message", false);
        var parameter = Role("parameter", false);
        var code = Role("code", false);
        var named = new[] { message, parameter, code }.Where(x => x is not null).ToList();
        if (named.Count != named.Distinct(StringComparer.Ordinal).Count())
        {
            _context.Error(DiagnosticIds.DuplicateName, "Each of message, parameter and code needs a field of its own.", node);
        }

        if (status == 400 && !fields.Has("message"))
        {
            _context.Error(DiagnosticIds.MissingKey, "The fields of a 400 error must name the 'message' field.", node);
        }

        var (documented, copies) = code is null ? (null, EquatableArray<string>.Empty) : DocumentedCode(fields.Scalar("code")!, body, message, parameter);
        return new ErrorFieldsSpec(message, parameter, code) { DocumentedCode = documented, CodeCopies = copies };
    }

    /// <summary>
    /// The code an error's example body gives in its code field (what the mock writes there), and the other top-level
    /// fields of the body that repeat it. A code field needs that documented code: the mock has no other to write.
    /// </summary>
    private (string? Code, EquatableArray<string> Copies) DocumentedCode(YScalar codeKey, YScalar? body, string? message, string? parameter)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var root = body is null ? null : YamlTree.Parse(body.Value, _context.File, diagnostics, YamlLimits.Json) as YMapping;
        if (body is not null && (diagnostics.Count > 0 || root is null))
        {
            return (null, EquatableArray<string>.Empty); // the body's own check reports it
        }

        if (root?.Find(codeKey.Value) is not YScalar { Style: ScalarStyle.DoubleQuoted, Value.Length: > 0 } value)
        {
            _context.Error(DiagnosticIds.MissingKey, $"The code field '{MapReader.Truncate(codeKey.Value)}' needs the vendor's code for this error: give the error a 'body' whose '{MapReader.Truncate(codeKey.Value)}' is a non-empty string (the mock writes that code, or a parameter's semantics.errorCode where one is declared).", codeKey);
            return (null, EquatableArray<string>.Empty);
        }

        var copies = root.Entries
            .Where(e => e.Key.Value != codeKey.Value && e.Key.Value != message && e.Key.Value != parameter
                && e.Value is YScalar { Style: ScalarStyle.DoubleQuoted } copy && copy.Value == value.Value)
            .Select(e => e.Key.Value)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToEquatableArray();
        return (value.Value, copies);
    }

    private (EquatableArray<ExampleSpec> Examples, EquatableArray<ExampleRequestSpec> Requests) ReadExamples(YSequence? sequence, ResponseSpec? response, string what, List<ParameterEntry> parameters, string? pathTemplate, EquatableArray<ErrorSpec> endpointErrors)
    {
        var result = new List<ExampleSpec>();
        var requests = new List<ExampleRequestSpec>();
        foreach (var item in sequence?.Items ?? new List<YNode>())
        {
            if (item is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"An example is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, node, $"an example of {what}", ContractKeys.Example);
            var name = reader.Scalar("name", required: true);
            var status = reader.Long("status") ?? 200;
            // A documented request whose response the docs do not show has a request and no body.
            var body = reader.Scalar("body", required: !reader.Has("request"));
            if (!reader.Has("body") && reader.Node("status") is { } statusWithoutBody)
            {
                // A status belongs to a shown response; a request-only example has none to give it to.
                _context.Error(DiagnosticIds.MissingKey, "An example with a 'status' needs its 'body'; a request whose response the docs do not show has neither.", statusWithoutBody);
            }

            string? requestPath = null;
            var query = new List<ParameterValue>();
            if (reader.Map("request") is { } requestNode)
            {
                var request = new MapReader(_context, requestNode, $"the request of an example of {what}", ContractKeys.ExampleRequest);
                var requestPathNode = request.Scalar("path");
                requestPath = requestPathNode?.Value;
                if (requestPathNode is not null && pathTemplate is not null && !MatchesTemplate(requestPathNode.Value, pathTemplate))
                {
                    _context.Error(DiagnosticIds.PathMismatch, $"The example's request path '{MapReader.Truncate(requestPathNode.Value)}' does not match the path '{pathTemplate}' of {what}.", requestPathNode);
                }

                if (request.Map("query") is { } queryNode)
                {
                    foreach (var entry in queryNode.Entries)
                    {
                        var parameter = parameters.Find(p => p.Spec.WireName == entry.Key.Value);
                        if (parameter is null)
                        {
                            _context.Error(DiagnosticIds.UnknownEndpointParameter, $"The example's query names '{MapReader.Truncate(entry.Key.Value)}', which {what} lacks{Suggest.DidYouMean(entry.Key.Value, parameters.Select(p => p.Spec.WireName))}.", entry.Key);
                        }

                        if (entry.Value is YScalar queryValue && parameter is not null && !parameter.Spec.Type.IsArray)
                        {
                            CheckValueOfType(queryValue, parameter.Spec.Type, parameter.Spec.CaseInsensitive, $"the example's query value of '{entry.Key.Value}'");
                        }

                        if (entry.Value is YScalar value)
                        {
                            query.Add(new ParameterValue(entry.Key.Value, value.Value));
                        }
                        else
                        {
                            _context.Error(DiagnosticIds.WrongType, $"The query value of '{entry.Key.Value}' must be a scalar.", entry.Value);
                        }
                    }
                }
            }

            if (name is not null && (result.Exists(e => e.Name == name.Value) || requests.Exists(e => e.Name == name.Value)))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The example '{name.Value}' appears twice in {what}.", name);
                continue;
            }

            if (status is < 100 or > 599)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"{status} is not an HTTP status code.", reader.Node("status")!);
            }
            else if (body is not null && response is not null && status is >= 200 and < 300)
            {
                ValidateExampleBody(body, JsonConformance.ResponseType(response), response.Envelope);
            }
            else if (body is not null && status >= 300)
            {
                // An error example is checked against the model of that status's error response.
                var error = endpointErrors.FirstOrDefault(e => e.Status == status) ?? _contractErrors.FirstOrDefault(e => e.Status == status);
                var model = error?.Model is { } m ? new TypeRef(TypeKind.Model, m, false, TimestampEncoding.None) : null;
                ValidateExampleBody(body, model, null);
            }

            if (name is not null && body is not null)
            {
                result.Add(new ExampleSpec(name.Value, reader.String("summary"), (int)status, requestPath, query.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray(), body.Value, _context.ReadProvenance(reader.Node("provenance"))));
            }
            else if (name is not null && reader.Has("request") && !reader.Has("body"))
            {
                requests.Add(new ExampleRequestSpec(name.Value, reader.String("summary"), requestPath, query.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray(), _context.ReadProvenance(reader.Node("provenance"))));
            }
        }

        return (result.ToEquatableArray(), requests.ToEquatableArray());
    }

    private static bool MatchesTemplate(string path, string template)
    {
        // Literal segments must match; a {placeholder} matches one non-empty segment.
        var query = path.IndexOf('?');
        var p = (query >= 0 ? path.Substring(0, query) : path).Split('/');
        var t = template.Split('/');
        if (p.Length != t.Length)
        {
            return false;
        }

        for (var i = 0; i < p.Length; i++)
        {
            var isPlaceholder = t[i].StartsWith("{", StringComparison.Ordinal) && t[i].EndsWith("}", StringComparison.Ordinal);
            if (isPlaceholder ? p[i].Length == 0 : !string.Equals(p[i], t[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void ValidateExampleBody(YScalar body, TypeRef? expected, string? envelope)
    {
        var validator = new ExampleValidator(_context, body, name => _models.Find(m => m.Name == name), name => _enums.Find(e => e.Name == name));
        validator.Validate(expected, envelope);
    }
}
