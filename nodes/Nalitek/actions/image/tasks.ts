import { taskOperations } from '../../../shared/router';
import { generateTasks } from '../../adapter';
import { createGenerateRequest } from '../../parameters';

/** Generate, Create Task, Get Task and Wait for Task of Nalitek images: the four every provider node has. */
export const imageTasks = taskOperations(generateTasks, createGenerateRequest, { parking: true });
