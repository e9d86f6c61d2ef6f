using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers;

/// <summary>A call or construction CONC011 reports: how to name it, and what work it does.</summary>
internal sealed class CpuHeavyCall
{
    public CpuHeavyCall(IOperation operation, string display, string work)
    {
        Operation = operation;
        Display = display;
        Work = work;
    }

    public IOperation Operation { get; }

    /// <summary><c>Rfc2898DeriveBytes.Pbkdf2</c>, <c>new GZipStream</c>.</summary>
    public string Display { get; }

    /// <summary>What makes it heavy: <c>PBKDF2 key derivation</c>, <c>RSA key generation</c>.</summary>
    public string Work { get; }
}

/// <summary>
/// The curated list of CPU-heavy APIs (CONC011), each with the condition that makes it heavy: key derivation with many
/// iterations (PBKDF2: <c>Rfc2898DeriveBytes</c>, ASP.NET Core's <c>KeyDerivation</c> and <c>PasswordHasher</c>), RSA and
/// DSA key generation at 2048 bits and more, compression at the smallest-size level (or Brotli quality 10–11) into
/// memory, <c>Regex</c> compiled per call, and the well-known password hashers (BCrypt, Argon2, SCrypt) by name — plus
/// the user's <c>concurrency_analyzers.additional_cpu_heavy_apis</c>. Not on it: single hashes, HMAC, AES, EC keys,
/// imports of existing keys.
/// </summary>
internal sealed class CpuHeavyApis
{
    /// <summary>PBKDF2 below this many iterations is a small hash (about a millisecond): not reported.</summary>
    public const int MinIterations = 10_000;

    /// <summary>RSA/DSA keys from this size take tens of milliseconds to seconds to generate.</summary>
    public const int MinKeyBits = 2048;

    private const int SmallestSize = 3; // CompressionLevel.SmallestSize
    private const int RegexCompiled = 8; // RegexOptions.Compiled

    private readonly KnownSymbols _symbols;
    private readonly Lazy<ImmutableDictionary<string, ImmutableArray<Entry>>> _table;

    public CpuHeavyApis(KnownSymbols symbols)
    {
        _symbols = symbols;
        _table = new Lazy<ImmutableDictionary<string, ImmutableArray<Entry>>>(Build);
    }

    private sealed class Entry
    {
        public Entry(INamedTypeSymbol type, string work, Func<IOperation, IMethodSymbol, bool> isHeavy, bool derived = false)
        {
            Type = type;
            Work = work;
            IsHeavy = isHeavy;
            Derived = derived;
        }

        public INamedTypeSymbol Type { get; }
        public string Work { get; }
        public Func<IOperation, IMethodSymbol, bool> IsHeavy { get; }
        public bool Derived { get; }
    }

    /// <summary>The heavy call <paramref name="operation"/> is, or <see langword="null"/>.</summary>
    public CpuHeavyCall? Classify(IOperation operation, ApiList additional)
    {
        var method = operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method?.ContainingType is not { } type)
            return null;
        var display = method.MethodKind == MethodKind.Constructor ? "new " + type.Name : type.Name + "." + method.Name;
        if (!additional.IsEmpty && additional.Contains(method))
            return new CpuHeavyCall(operation, display, "listed in concurrency_analyzers.additional_cpu_heavy_apis");
        var name = method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name;
        if (!_table.Value.TryGetValue(name, out var entries))
            return null;
        // The receiver's type counts as well as the declaring one: Konscious' Argon2id inherits GetBytes from its base.
        var receiver = (operation as IInvocationOperation)?.Instance?.Type as INamedTypeSymbol;
        foreach (var entry in entries)
        {
            var matches = entry.Derived
                ? KnownSymbols.InheritsFrom(type, entry.Type) || KnownSymbols.InheritsFrom(receiver, entry.Type)
                : KnownSymbols.Eq(type.OriginalDefinition, entry.Type) || KnownSymbols.Eq(receiver?.OriginalDefinition, entry.Type);
            if (matches && entry.IsHeavy(operation, method))
            {
                var shown = receiver is not null && !KnownSymbols.Eq(receiver.OriginalDefinition, type.OriginalDefinition) && method.MethodKind != MethodKind.Constructor
                    ? receiver.Name + "." + method.Name
                    : display;
                return new CpuHeavyCall(operation, shown, entry.Work);
            }
        }

        return null;
    }

    private ImmutableDictionary<string, ImmutableArray<Entry>> Build()
    {
        var table = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        void Add(string typeName, string work, Func<IOperation, IMethodSymbol, bool> isHeavy, bool derived, params string[] methods)
        {
            if (_symbols.Get(typeName) is not { } type)
                return;
            foreach (var method in methods)
            {
                if (!table.TryGetValue(method, out var list))
                    table[method] = list = new List<Entry>();
                list.Add(new Entry(type, work, isHeavy, derived));
            }
        }

        static bool Always(IOperation operation, IMethodSymbol method) => true;

        // Key derivation: the iterations are the cost.
        Add("System.Security.Cryptography.Rfc2898DeriveBytes", "PBKDF2 key derivation", (o, m) => !IsSmall(o, "iterations", MinIterations), false, "Pbkdf2");
        Add("System.Security.Cryptography.Rfc2898DeriveBytes", "PBKDF2 key derivation", Always, false, "GetBytes");
        Add("Microsoft.AspNetCore.Cryptography.KeyDerivation.KeyDerivation", "PBKDF2 key derivation", (o, m) => !IsSmall(o, "iterationCount", MinIterations), false, "Pbkdf2");
        Add("Microsoft.AspNetCore.Identity.PasswordHasher`1", "password hashing (PBKDF2)", Always, true, "HashPassword", "VerifyHashedPassword");

        // Key generation: asymmetric keys of real sizes.
        Add("System.Security.Cryptography.RSA", "RSA key generation", (o, m) => HasKeySize(o) && !IsImportedInto(o), false, "Create");
        Add("System.Security.Cryptography.DSA", "DSA key generation", (o, m) => HasKeySize(o) && !IsImportedInto(o), false, "Create");
        Add("System.Security.Cryptography.RSACryptoServiceProvider", "RSA key generation", (o, m) => HasKeySize(o) && !IsImportedInto(o), false, ".ctor");
        Add("System.Security.Cryptography.DSACryptoServiceProvider", "DSA key generation", (o, m) => HasKeySize(o) && !IsImportedInto(o), false, ".ctor");

        // Compression at the smallest-size level into memory (into a file or socket the writes are CONC003's).
        foreach (var stream in new[] { "GZipStream", "BrotliStream", "DeflateStream", "ZLibStream" })
            Add("System.IO.Compression." + stream, "compression at the smallest-size level", (o, m) => CompressesIntoMemory(o, m), false, ".ctor");
        Add("System.IO.Compression.BrotliEncoder", "Brotli compression at quality 10–11", (o, m) => HighQuality(o), false, "TryCompress", ".ctor");

        // A Regex compiled to IL on every call: milliseconds of code generation each time.
        Add("System.Text.RegularExpressions.Regex", "Regex compilation (RegexOptions.Compiled)", (o, m) => IsCompiledRegex(o) && !IsCachedInAField(o), false, ".ctor");

        // Password hashers, by their well-known names.
        Add("BCrypt.Net.BCrypt", "password hashing (BCrypt)", Always, false, "HashPassword", "Verify", "EnhancedHashPassword", "EnhancedVerify", "ValidateAndReplacePassword", "HashString");
        foreach (var argon in new[] { "Argon2id", "Argon2i", "Argon2d" })
            Add("Konscious.Security.Cryptography." + argon, "password hashing (Argon2)", Always, false, "GetBytes");
        Add("Isopoh.Cryptography.Argon2.Argon2", "password hashing (Argon2)", Always, false, "Hash", "Verify");
        Add("Scrypt.ScryptEncoder", "password hashing (SCrypt)", Always, false, "Encode", "Compare");
        Add("Sodium.PasswordHash", "password hashing (libsodium)", Always, false, "ArgonHashString", "ArgonHashStringVerify", "ScryptHashString", "ScryptHashStringVerify");

        return table.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
    }

    private static IArgumentOperation? Argument(IOperation operation, string parameterName)
    {
        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        return arguments.FirstOrDefault(a => a.Parameter?.Name == parameterName && a.ArgumentKind != ArgumentKind.DefaultValue);
    }

    /// <summary>The argument is a constant below <paramref name="limit"/> (an unknown count is not small).</summary>
    private static bool IsSmall(IOperation operation, string parameterName, int limit) =>
        Argument(operation, parameterName)?.Value.ConstantValue is { HasValue: true, Value: int value } && value < limit;

    /// <summary><c>RSA.Create(bits)</c>, <c>new RSACryptoServiceProvider(bits)</c>: a key of that size is generated (a constant below 2048 is a test key).</summary>
    private static bool HasKeySize(IOperation operation)
    {
        var bits = Argument(operation, "keySizeInBits") ?? Argument(operation, "dwKeySize");
        return bits is not null && !(bits.Value.ConstantValue is { HasValue: true, Value: int value } && value < MinKeyBits);
    }

    private bool CompressesIntoMemory(IOperation operation, IMethodSymbol constructor)
    {
        if (operation is not IObjectCreationOperation creation || creation.Arguments.Length == 0)
            return false;
        var level = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "CompressionLevel");
        var options = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "ZLibCompressionOptions");
        var smallest = level?.Value.ConstantValue is { HasValue: true, Value: int value } && value == SmallestSize;
        var highQuality = options is not null && QualityOf(options.Value) >= 10;
        return (smallest || highQuality) && NoIOApis.IsNoIOValue(creation.Arguments[0].Value, _symbols);
    }

    /// <summary><c>new ZLibCompressionOptions { CompressionLevel = 9 }</c>: the level set in the initializer, or -1.</summary>
    private static int QualityOf(IOperation value)
    {
        if (value.WalkDownConversions() is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var init in initializer.Initializers)
            {
                if (init is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CompressionLevel" }, Value.ConstantValue: { HasValue: true, Value: int level } })
                    return level;
            }
        }

        return -1;
    }

    /// <summary>
    /// The new key object is stored in a local into which a key is then imported (<c>ImportParameters</c>,
    /// <c>ImportFromPem</c>, <c>FromXmlString</c>…): .NET generates a key lazily, on first use, so none is generated.
    /// </summary>
    private static bool IsImportedInto(IOperation operation)
    {
        return operation.ParentThroughConversions() is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } }
            && operation.CallsOn(local).Any(i => i.TargetMethod.Name.StartsWith("Import", StringComparison.Ordinal) || i.TargetMethod.Name == "FromXmlString");
    }

    /// <summary><c>_regex ??= new Regex(…)</c>: built once and kept, not compiled per call.</summary>
    private static bool IsCachedInAField(IOperation operation) =>
        operation.ParentThroughConversions() is ICoalesceAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation };

    /// <summary><c>BrotliEncoder.TryCompress(…, quality, window)</c>, <c>new BrotliEncoder(quality, window)</c> at quality 10 or 11.</summary>
    private static bool HighQuality(IOperation operation) =>
        Argument(operation, "quality")?.Value.ConstantValue is { HasValue: true, Value: int quality } && quality >= 10;

    /// <summary><c>new Regex(pattern, RegexOptions.Compiled | …)</c> in a method body (a static field's initializer runs once).</summary>
    private static bool IsCompiledRegex(IOperation operation) =>
        Argument(operation, "options")?.Value.ConstantValue is { HasValue: true, Value: int options } && (options & RegexCompiled) != 0;
}
