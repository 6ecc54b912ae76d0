import type { AppConfig } from '../config';
import { diskStorage } from './diskStorage';
import type { FileStorage } from './storage';

/** The storage backend the configuration names (`FILE_STORAGE`; `disk` is the only one built in). */
export function openFileStorage(config: Pick<AppConfig, 'fileStorage'>): FileStorage {
  switch (config.fileStorage.kind) {
    case 'disk':
      return diskStorage(config.fileStorage.root);
  }
}
