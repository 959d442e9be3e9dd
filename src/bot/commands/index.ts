import { type SlashCommand } from '../types';
import bug from './bug';
import caseCommand from './case';
import close from './close';
import helpme from './helpme';
import newFeature from './new-feature';
import setupChannels from './setup-channels';

export const SLASH_COMMANDS: SlashCommand[] = [helpme, bug, newFeature, caseCommand, close, setupChannels];

export const commandByName = new Map(SLASH_COMMANDS.map((c) => [c.data.name, c]));
