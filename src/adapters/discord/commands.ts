import { SlashCommandBuilder, type SlashCommandSubcommandBuilder } from "discord.js";
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import {
  COMMANDS,
  type CommandDeclaration,
  type OptionDeclaration,
  ROOT_COMMAND,
  ROOT_DESCRIPTION,
} from "../../../commands/index.js";
import type { SourceInfo } from "../../core/engine.js";
import { shorten } from "../../core/text.js";
import { DISCORD_LIMITS as L } from "./limits.js";

/**
 * The registration body, derived from the one declaration in `commands/`: a single `/karpathy` command
 * with a subcommand per declaration. `query`-like options autocomplete; the source option offers the
 * corpus's sources as choices (Discord forbids both on one option).
 */
export function commandsBody(
  sources: readonly SourceInfo[],
  commands: readonly CommandDeclaration[] = COMMANDS,
): RESTPutAPIApplicationCommandsJSONBody {
  const root = new SlashCommandBuilder()
    .setName(ROOT_COMMAND)
    .setDescription(shorten(ROOT_DESCRIPTION, L.commandDescription))
    // Installable to a server and to a user's account ("Add to My Apps"), usable in servers, DMs with
    // the bot and group DMs: every answer goes through the interaction, so the bot need not be there.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
    .setContexts(
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    );
  for (const command of commands)
    root.addSubcommand((sub) => {
      sub.setName(command.name).setDescription(shorten(command.description, L.commandDescription));
      for (const option of command.options) addOption(sub, option, sources);
      return sub;
    });
  return [root.toJSON()];
}

function addOption(
  sub: SlashCommandSubcommandBuilder,
  option: OptionDeclaration,
  sources: readonly SourceInfo[],
): void {
  if (option.autocomplete && option.sourceChoice)
    throw new Error(`Discord: option "${option.name}" cannot both autocomplete and offer choices`);
  sub.addStringOption((o) => {
    o.setName(option.name)
      .setDescription(shorten(option.description, L.commandDescription))
      .setRequired(option.required);
    if (option.maxLength !== undefined) o.setMaxLength(option.maxLength);
    if (option.autocomplete) o.setAutocomplete(true);
    else if (option.sourceChoice)
      o.addChoices(
        ...sources.slice(0, L.choices).map((s) => ({
          name: shorten(s.title, L.choiceName),
          value: s.id,
        })),
      );
    return o;
  });
}
