// SPDX-License-Identifier: Apache-2.0
#include "ui/GeneratorSettings.h"

#include <QSettings>

#include <algorithm>
#include <array>
#include <utility>

namespace coffer::ui {
namespace {

using crypto::GeneratorMode;
using crypto::GeneratorOptions;

// Names, not numbers, so that reordering the enum cannot change what a saved setting means.
constexpr std::array<std::pair<GeneratorMode, const char*>, 6> kModeNames = {{
    {GeneratorMode::Characters, "characters"},
    {GeneratorMode::Passphrase, "passphrase"},
    {GeneratorMode::Hex, "hex"},
    {GeneratorMode::Base64, "base64"},
    {GeneratorMode::Base64Url, "base64url"},
    {GeneratorMode::Uuid, "uuid"},
}};

int readInt(QSettings& settings, const QString& key, int fallback, int low, int high) {
    bool ok = false;
    const int value = settings.value(key, fallback).toInt(&ok);
    return ok ? std::clamp(value, low, high) : fallback;
}

bool readBool(QSettings& settings, const QString& key, bool fallback) {
    return settings.value(key, fallback).toBool();
}

} // namespace

GeneratorOptions GeneratorSettings::load(QSettings& settings) {
    const GeneratorOptions defaults;
    GeneratorOptions options;
    settings.beginGroup(QStringLiteral("generator"));
    const QString mode = settings.value(QStringLiteral("mode")).toString();
    for (const auto& [value, name] : kModeNames) {
        if (mode == QLatin1String(name)) {
            options.mode = value;
        }
    }
    options.length = readInt(settings, QStringLiteral("length"), defaults.length, GeneratorOptions::kMinLength,
                             GeneratorOptions::kMaxLength);
    options.bytes = readInt(settings, QStringLiteral("bytes"), defaults.bytes, GeneratorOptions::kMinBytes,
                            GeneratorOptions::kMaxBytes);
    options.words = readInt(settings, QStringLiteral("words"), defaults.words, GeneratorOptions::kMinWords,
                            GeneratorOptions::kMaxWords);
    options.lower = readBool(settings, QStringLiteral("lower"), defaults.lower);
    options.upper = readBool(settings, QStringLiteral("upper"), defaults.upper);
    options.digits = readBool(settings, QStringLiteral("digits"), defaults.digits);
    options.symbols = readBool(settings, QStringLiteral("symbols"), defaults.symbols);
    if (!options.lower && !options.upper && !options.digits && !options.symbols) {
        options.lower = options.upper = options.digits = options.symbols = true;
    }
    options.avoidLookAlikes = readBool(settings, QStringLiteral("avoidLookAlikes"), defaults.avoidLookAlikes);
    options.capitalise = readBool(settings, QStringLiteral("capitalise"), defaults.capitalise);
    options.includeNumber = readBool(settings, QStringLiteral("includeNumber"), defaults.includeNumber);
    const QString separator = settings.value(QStringLiteral("separator")).toString();
    if (separator.size() == 1 && separator[0].unicode() < 0x80) {
        options.separator = static_cast<char>(separator[0].unicode());
    }
    settings.endGroup();
    GeneratorOptions passphrase = options;
    passphrase.mode = GeneratorMode::Passphrase;
    if (!crypto::validateGeneratorOptions(passphrase)) {
        options.separator = defaults.separator;
    }
    return options;
}

GeneratorOptions GeneratorSettings::load() {
    QSettings settings;
    return load(settings);
}

void GeneratorSettings::save(QSettings& settings, const GeneratorOptions& options) {
    settings.beginGroup(QStringLiteral("generator"));
    for (const auto& [value, name] : kModeNames) {
        if (options.mode == value) {
            settings.setValue(QStringLiteral("mode"), QLatin1String(name));
        }
    }
    settings.setValue(QStringLiteral("length"), options.length);
    settings.setValue(QStringLiteral("bytes"), options.bytes);
    settings.setValue(QStringLiteral("words"), options.words);
    settings.setValue(QStringLiteral("lower"), options.lower);
    settings.setValue(QStringLiteral("upper"), options.upper);
    settings.setValue(QStringLiteral("digits"), options.digits);
    settings.setValue(QStringLiteral("symbols"), options.symbols);
    settings.setValue(QStringLiteral("avoidLookAlikes"), options.avoidLookAlikes);
    settings.setValue(QStringLiteral("capitalise"), options.capitalise);
    settings.setValue(QStringLiteral("includeNumber"), options.includeNumber);
    settings.setValue(QStringLiteral("separator"), QString(QLatin1Char(options.separator)));
    settings.endGroup();
}

void GeneratorSettings::save(const GeneratorOptions& options) {
    QSettings settings;
    save(settings, options);
}

} // namespace coffer::ui
