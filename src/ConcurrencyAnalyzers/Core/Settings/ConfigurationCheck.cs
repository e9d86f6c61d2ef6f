using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConcurrencyAnalyzers;

/// <summary>
/// What CONC900 says of the package's settings: values it cannot use, which the analyzers otherwise ignore or replace
/// with the default without a word. An API list entry that is not a documentation ID; one whose containing type exists
/// but has no such member (a misspelled name or parameter list); a type missing from a namespace the compilation has.
/// An entry whose namespace the compilation does not know at all is not reported: a solution-wide <c>.editorconfig</c>
/// names APIs of libraries that only some projects reference.
/// </summary>
internal static class ConfigurationCheck
{
    private static readonly string[] ApiListKeys =
    {
        AnalyzerSettings.ExcludedApisKey, AnalyzerSettings.AdditionalBlockingApisKey, AnalyzerSettings.AdditionalCpuHeavyApisKey,
    };

    /// <summary>The problems of one setting's value, each a sentence that says what happens instead.</summary>
    public static IEnumerable<string> Problems(string key, string value, Compilation compilation, bool hasRuntime)
    {
        if (ApiListKeys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)))
            return ApiListProblems(value, compilation);
        if (string.Equals(key, AnalyzerSettings.OffloadTargetKey, StringComparison.OrdinalIgnoreCase))
            return OffloadTargetProblems(value.Trim(), hasRuntime);
        if (string.Equals(key, AnalyzerSettings.MaxDepthKey, StringComparison.OrdinalIgnoreCase))
            return IntegerProblems(value, 1, AnalyzerSettings.MaxMaxDepth, AnalyzerSettings.DefaultMaxDepth);
        if (string.Equals(key, AnalyzerSettings.MinConstantIterationsKey, StringComparison.OrdinalIgnoreCase))
            return IntegerProblems(value, 1, int.MaxValue, AnalyzerSettings.DefaultMinConstantIterations);
        return Array.Empty<string>();
    }

    /// <summary>The keys <see cref="Problems"/> checks.</summary>
    public static IEnumerable<string> CheckedKeys =>
        ApiListKeys.Concat(new[] { AnalyzerSettings.OffloadTargetKey, AnalyzerSettings.MaxDepthKey, AnalyzerSettings.MinConstantIterationsKey });

    private static IEnumerable<string> ApiListProblems(string value, Compilation compilation)
    {
        foreach (var raw in ApiList.Entries(value))
        {
            var id = raw.Trim();
            if (id.Length == 0)
                continue;
            if (id.Length < 3 || id[1] != ':' || "MTPFEN".IndexOf(id[0]) < 0)
            {
                yield return $"'{id}' is not a documentation ID (M:Namespace.Type.Method(System.String), T:Namespace.Type, P:…); the entry is ignored";
                continue;
            }

            if (DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation).Any())
                continue;
            var name = id.Substring(2);
            var paren = name.IndexOf('(');
            var path = paren >= 0 ? name.Substring(0, paren) : name;
            var dot = path.LastIndexOf('.');
            if (dot <= 0)
                continue;
            var container = path.Substring(0, dot);
            if (id[0] != 'T' && id[0] != 'N')
            {
                if (DocumentationCommentId.GetFirstSymbolForDeclarationId("T:" + container, compilation) is ITypeSymbol)
                    yield return $"'{id}' names no member of '{container}' (check the name and the parameter types, e.g. System.String); the entry is ignored";
                else if (NamespaceExists(compilation, NamespaceOf(container, compilation)))
                    yield return $"'{id}': the namespace has no type '{container}'; the entry is ignored";
            }
            else if (NamespaceExists(compilation, container))
            {
                yield return $"'{id}' names no type of namespace '{container}'; the entry is ignored";
            }
        }
    }

    /// <summary>The namespace part of a type path: the longest prefix that is a namespace the compilation knows.</summary>
    private static string NamespaceOf(string typePath, Compilation compilation)
    {
        var path = typePath;
        while (path.LastIndexOf('.') is var dot and > 0)
        {
            path = path.Substring(0, dot);
            if (NamespaceExists(compilation, path))
                return path;
        }

        return string.Empty;
    }

    private static bool NamespaceExists(Compilation compilation, string path)
    {
        if (path.Length == 0)
            return false;
        INamespaceSymbol? current = compilation.GlobalNamespace;
        foreach (var segment in path.Split('.'))
        {
            current = current?.GetNamespaceMembers().FirstOrDefault(n => n.Name == segment);
            if (current is null)
                return false;
        }

        return true;
    }

    private static IEnumerable<string> OffloadTargetProblems(string value, bool hasRuntime)
    {
        if (string.Equals(value, "bcl", StringComparison.OrdinalIgnoreCase))
            yield break;
        if (!string.Equals(value, "executors", StringComparison.OrdinalIgnoreCase))
            yield return $"'{value}' is neither 'executors' nor 'bcl'; the fixes use {(hasRuntime ? "the executors" : "Task.Run")}";
        else if (!hasRuntime)
            yield return "'executors', but the project does not reference ConcurrencyAnalyzers.Runtime; the fixes use Task.Run";
    }

    private static IEnumerable<string> IntegerProblems(string value, int min, int max, int fallback)
    {
        if (!AnalyzerSettings.TryParseInteger(value, out var parsed))
            yield return $"'{value.Trim()}' is not a whole number; the default {fallback.ToString(CultureInfo.InvariantCulture)} is used";
        else if (parsed < min || parsed > max)
            yield return $"{parsed.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}…{max.ToString(CultureInfo.InvariantCulture)}; {(parsed < min ? min : max).ToString(CultureInfo.InvariantCulture)} is used";
    }
}
